/** The operator's own Prometheus meters. */
package dev.tollgate.operator.metrics;
