/**
 * The service's Prometheus meters, which the consumer, the surge detector and the wiring all report
 * to; it depends on no other package of the service.
 */
package dev.tollgate.analytics.metrics;
