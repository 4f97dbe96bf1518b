/**
 * Sending a matched request upstream: the endpoint chosen from the route's backends ({@code
 * backend}), header rewriting, retries and circuit-breaker accounting, the HTTP/1.1 exchange on
 * pooled connections ({@code proxy.http1}), streaming relay of bodies, and protocol upgrades.
 */
package dev.tollgate.gateway.proxy;
