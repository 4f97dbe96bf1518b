/**
 * OpenTelemetry tracing of the data plane: W3C trace context in (from the client) and out (to the
 * upstream), spans for the request, the rate-limit decision and each upstream attempt.
 */
package dev.tollgate.gateway.tracing;
