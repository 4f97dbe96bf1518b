/**
 * The operator's own Prometheus meters, but for the snapshot sync's (in the snapshot package,
 * beside the write results they count): the packages that report here sit above this one, so it
 * names none of their types.
 */
package dev.tollgate.operator.metrics;
