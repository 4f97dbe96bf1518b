package dev.tollgate.api.snapshot;

/**
 * The Redis keys and channel of gateway instance {@code <gw>}: the one place where the operator and
 * the gateways spell them.
 *
 * <p>Every name carries {@code {<gw>}} as a hash tag, so on a Redis Cluster all of them hash to the
 * same slot: the operator's snapshot write (snapshot, version and fence in one script) and its read
 * of the gateways' reports stay single-slot, and no SCAN over every master is needed. Several
 * gateway instances sharing one cluster spread over slots by name.
 *
 * @param gateway the gateway instance name (the Helm release, a DNS label: {@link GatewayName}, so
 *     it never contains the braces that would end the tag early)
 */
public record ConfigKeys(String gateway) {
  private static final String PREFIX = "tollgate:";

  public ConfigKeys {
    GatewayName.require(gateway);
  }

  /** JSON snapshot {@code {version, routes, policies}}; no TTL. */
  public String config() {
    return PREFIX + "{" + gateway + "}:config";
  }

  /** Integer, incremented on every snapshot write; no TTL. */
  public String version() {
    return config() + ":version";
  }

  /** Leader epoch of the operator that wrote the current snapshot (fencing); no TTL. */
  public String fence() {
    return config() + ":fence";
  }

  /** Pub/sub channel; the message is the new version. */
  public String channel() {
    return config();
  }

  /**
   * Hash of the live gateway pods: field = pod id, value = {@code "<served version> <expiry ms>"},
   * the expiry taken from Redis {@code TIME} ({@link ConfigScripts#REPORT_APPLIED_VERSION}). The
   * operator drops expired fields when it reads ({@link ConfigScripts#LIVE_GATEWAYS}); the hash
   * itself expires when no gateway has reported for a whole TTL.
   */
  public String gateways() {
    return PREFIX + "{" + gateway + "}:gateways";
  }
}
