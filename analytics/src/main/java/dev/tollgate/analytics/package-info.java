/**
 * The analytics service: reads the gateways' access stream into per-minute aggregates in Redis,
 * detects traffic surges and serves reports. This package wires the parts ({@code
 * AnalyticsService}, {@code AnalyticsMain}); the packages below it depend on none of it.
 */
package dev.tollgate.analytics;
