/**
 * The many-to-one part: the compiler that turns the cluster view into one deterministic snapshot;
 * the debounced, fenced writer and the sync's meters; and the bookkeeping of which version holds
 * which resource, with the poller that keeps what the gateways serve in it current.
 */
package dev.tollgate.operator.snapshot;
