package dev.tollgate.testkit.redis;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts a real three-master Redis Cluster for a test class (register as a static field) and
 * empties every node before each test.
 */
public final class RedisClusterExtension
    implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {
  private final int masters;
  private RedisCluster cluster;

  public RedisClusterExtension() {
    this(3);
  }

  public RedisClusterExtension(int masters) {
    this.masters = masters;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    cluster = RedisCluster.start(masters);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    cluster.nodes().forEach(node -> node.cli("FLUSHALL"));
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (cluster != null) {
      cluster.close();
    }
  }

  public RedisCluster cluster() {
    return cluster;
  }
}
