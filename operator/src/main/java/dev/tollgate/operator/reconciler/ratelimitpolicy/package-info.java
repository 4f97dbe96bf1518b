/**
 * RateLimitPolicy reconciler: targetRef checks, its pure {@code Accepted} decision, and the policy
 * to Route mappers.
 */
package dev.tollgate.operator.reconciler.ratelimitpolicy;
