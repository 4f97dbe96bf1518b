/**
 * Proxying to upstreams: endpoint pools with load balancing and per-endpoint circuit breakers,
 * header rewriting, retries, and streaming relay of bodies.
 */
package dev.tollgate.gateway.proxy;
