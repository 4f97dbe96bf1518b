/** The service's only port: reports as JSON and HTML, Prometheus metrics and health. */
package dev.tollgate.analytics.http;
