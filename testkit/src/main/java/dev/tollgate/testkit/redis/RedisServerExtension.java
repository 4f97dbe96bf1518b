package dev.tollgate.testkit.redis;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts one real {@code redis-server} for a test class and stops it afterwards. Register as a
 * static field: {@code @RegisterExtension static final RedisServerExtension REDIS = new
 * RedisServerExtension();}. Before each test the server is brought back up if a test killed it, and
 * emptied with {@code FLUSHALL}, so tests do not see each other's keys.
 */
public final class RedisServerExtension
    implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {
  private RedisServer server;

  @Override
  public void beforeAll(ExtensionContext context) {
    server = RedisServer.start();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    server.resume();
    if (!server.isRunning()) {
      server.restart();
    }
    server.cli("FLUSHALL");
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (server != null) {
      server.close();
    }
  }

  public RedisServer server() {
    return server;
  }

  public String uri() {
    return server.uri();
  }
}
