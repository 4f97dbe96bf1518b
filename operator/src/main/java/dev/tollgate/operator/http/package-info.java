/** Probes and Prometheus metrics on the JDK's HTTP server. */
package dev.tollgate.operator.http;
