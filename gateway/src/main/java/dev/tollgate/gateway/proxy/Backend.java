package dev.tollgate.gateway.proxy;

import java.time.Duration;

/**
 * Where a route's requests go and how patiently.
 *
 * @param pool endpoints, balancer and breakers (kept across reloads while unchanged)
 * @param timeout longest wait for the upstream's response headers, and between body reads
 * @param retry retry policy for idempotent requests without a body
 */
public record Backend(EndpointPool pool, Duration timeout, RetryPolicy retry) {}
