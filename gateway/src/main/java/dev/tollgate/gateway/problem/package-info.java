/**
 * Errors the gateway answers itself: typed exceptions carrying status and problem type, the RFC
 * 9457 {@code application/problem+json} document, and the direct handler for requests Helidon
 * refuses before routing. The error handler that renders the typed exceptions (as problem+json, or
 * as gRPC status trailers) is registered with the routing, in the package above this one.
 */
package dev.tollgate.gateway.problem;
