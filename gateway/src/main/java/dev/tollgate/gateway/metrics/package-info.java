/** Prometheus meters of the data plane (requests, durations, circuits, config reloads). */
package dev.tollgate.gateway.metrics;
