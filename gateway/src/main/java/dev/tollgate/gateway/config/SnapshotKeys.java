package dev.tollgate.gateway.config;

/**
 * The Redis keys of gateway instance {@code <gw>} that the gateway reads and writes, spelled as
 * DESIGN.md "Config sync" fixes them (the operator's {@code RedisKeys} spells the same strings).
 */
record SnapshotKeys(String gateway) {
  private static final String PREFIX = "tollgate:";

  /** JSON snapshot written by the operator. */
  String config() {
    return PREFIX + gateway + ":config";
  }

  /** Integer version of the snapshot, incremented on every write. */
  String version() {
    return config() + ":version";
  }

  /** Pub/sub channel on which the operator publishes each new version. */
  String channel() {
    return config();
  }

  /** Applied-version key of one gateway pod: the version it serves, with a short TTL. */
  String appliedVersion(String podId) {
    return PREFIX + gateway + ":gateways:" + podId;
  }
}
