package dev.tollgate.operator.redis;

/**
 * The Redis keys of one gateway instance {@code <gw>}, exactly as DESIGN.md "Config sync" fixes
 * them; the only place the operator spells a key.
 *
 * <p>{@link #fence()} is the operator's own addition: the leader epoch of the last writer, so a
 * paused former leader whose lease has moved on can never overwrite a newer snapshot.
 */
public record RedisKeys(String gateway) {
  private static final String PREFIX = "tollgate:";

  /** JSON snapshot {@code {version, routes, policies}}. */
  public String config() {
    return PREFIX + gateway + ":config";
  }

  /** Integer, incremented on every snapshot write. */
  public String version() {
    return config() + ":version";
  }

  /** Pub/sub channel; the message is the new version. */
  public String channel() {
    return config();
  }

  /** Leader epoch (Lease transitions) of the operator that wrote the current snapshot. */
  public String fence() {
    return config() + ":fence";
  }

  /** Pattern matching every gateway pod's applied-version key. */
  public String gatewayPattern() {
    return PREFIX + gateway + ":gateways:*";
  }

  /** Applied-version key of one gateway pod (written by gateways, TTL 15 s). */
  public String gatewayKey(String podId) {
    return PREFIX + gateway + ":gateways:" + podId;
  }
}
