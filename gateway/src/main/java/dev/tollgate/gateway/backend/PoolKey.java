package dev.tollgate.gateway.backend;

import java.net.URI;
import java.util.List;

/** What makes two compiled backends the same {@link EndpointPool} (see {@link EndpointPools}). */
record PoolKey(String route, List<URI> endpoints, String balancer, BreakerSettings breaker) {}
