/**
 * Where a route's requests may go: its weighted backends, each a pool of endpoints with their
 * circuit breakers, load balancing and retry policy, kept across configurations for endpoints that
 * stay. The route table holds these; the proxy (which sends) and the gRPC relay read them. Nothing
 * here sends a request.
 */
package dev.tollgate.gateway.backend;
