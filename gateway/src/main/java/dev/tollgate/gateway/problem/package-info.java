/**
 * Errors the gateway answers itself: typed exceptions carrying status and problem type, and the
 * single error-handler registration that renders them as RFC 9457 {@code application/problem+json}.
 */
package dev.tollgate.gateway.problem;
