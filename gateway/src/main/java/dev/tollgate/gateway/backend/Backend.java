package dev.tollgate.gateway.backend;

import dev.tollgate.api.v1alpha1.RouteBackend.Protocol;
import java.time.Duration;

/**
 * Where a route's requests go and how patiently.
 *
 * @param pool endpoints, balancer and breakers (kept across reloads while unchanged)
 * @param timeout longest wait for the upstream's response headers, and between body reads
 * @param retry retry policy for idempotent requests without a body
 * @param protocol the HTTP version the upstream speaks (HTTP/2 carries the gRPC calls)
 */
public record Backend(EndpointPool pool, Duration timeout, RetryPolicy retry, Protocol protocol) {}
