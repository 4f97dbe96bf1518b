/** Real {@code redis-server} processes for tests: standalone, cluster, and fault injection. */
package dev.tollgate.testkit.redis;
