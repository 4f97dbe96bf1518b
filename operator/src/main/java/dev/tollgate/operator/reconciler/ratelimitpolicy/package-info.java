/**
 * RateLimitPolicy reconciler: targetRef checks, its pure {@code Accepted} decision, the policy to
 * target index and mappers, and the event source that wakes policies when an HTTPRoute or Gateway
 * changes.
 */
package dev.tollgate.operator.reconciler.ratelimitpolicy;
