/**
 * Condition building shared by both kinds: desired conditions, the merge with the previous status
 * (transition times), and the {@code Programmed} decision.
 */
package dev.tollgate.operator.status;
