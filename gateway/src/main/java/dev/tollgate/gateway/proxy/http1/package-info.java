/**
 * The gateway's HTTP/1.1 exchange with upstream endpoints on its own pooled sockets: the request
 * head written once into a reused buffer, the response head parsed in place, bodies streamed with
 * their framing (RFC 9112). Hand-written because it is the hot path: Helidon's general-purpose
 * client spent most of the proxy's CPU time on per-request set-up (see docs/benchmarks.md).
 */
package dev.tollgate.gateway.proxy.http1;
