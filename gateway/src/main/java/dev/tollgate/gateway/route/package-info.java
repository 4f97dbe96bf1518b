/**
 * Route matching: path normalization, compiled routes and the precedence-ordered {@link
 * dev.tollgate.gateway.route.RouteTable}.
 */
package dev.tollgate.gateway.route;
