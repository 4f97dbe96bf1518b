/**
 * The Redis side: the connections, every aggregate key, and the latency sketch stored in hashes.
 */
package dev.tollgate.analytics.store;
