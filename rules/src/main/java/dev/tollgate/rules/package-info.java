/**
 * The rulebook: the one place that decides whether a Route or RateLimitPolicy is valid and
 * runnable, beyond what the CRD schema checks at {@code kubectl apply}. The operator runs it before
 * writing a snapshot (a failing resource is left out, its status names the field), the gateways run
 * it on every resource they load (Redis: a failing one is skipped and reported; a directory:
 * refused as a whole, like {@code nginx -t}), and the limiter engine's defensive invariants call
 * the same bounds ({@link dev.tollgate.rules.LimitBounds}), so no two parts judge a resource
 * differently.
 */
package dev.tollgate.rules;
