package dev.tollgate.gateway.config;

import dev.tollgate.api.snapshot.ConfigSnapshot;
import dev.tollgate.gateway.route.RouteTable;
import java.time.Instant;
import java.util.Map;

/**
 * One compiled, validated configuration: what a request sees from start to end, because the handler
 * reads the current instance once per request.
 *
 * @param snapshot the source model (routes with endpoints, policies), as loaded
 * @param routes the precedence-ordered routing table
 * @param extensions values compiled by {@link ConfigExtension}s, by type
 * @param rejected the snapshot's resources left out because they cannot be served (always empty for
 *     a standalone directory, which is refused as a whole instead)
 * @param origin where it came from (directory path, Redis key), for {@code /admin/config} and logs
 * @param loadedAt when it was compiled
 */
public record GatewayConfig(
    ConfigSnapshot snapshot,
    RouteTable routes,
    Map<Class<?>, Object> extensions,
    Rejections rejected,
    String origin,
    Instant loadedAt) {

  public GatewayConfig {
    extensions = Map.copyOf(extensions);
  }

  /** Snapshot version (Redis) or load counter (directory). */
  public long version() {
    return snapshot.version();
  }

  /** The value a {@link ConfigExtension} of this type compiled. */
  public <T> T extension(Class<T> type) {
    Object value = extensions.get(type);
    if (value == null) {
      throw new IllegalStateException("no config extension registered for " + type.getName());
    }
    return type.cast(value);
  }
}
