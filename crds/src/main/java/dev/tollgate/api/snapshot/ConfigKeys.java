package dev.tollgate.api.snapshot;

/**
 * The Redis keys and channel of gateway instance {@code <gw>}: the one place where the operator and
 * the gateways spell them.
 *
 * <p>Every name carries {@code {<gw>}} as a hash tag, so on a Redis Cluster all of them hash to the
 * same slot: the operator's write (entries, log, version, fence and lineage in one script), the
 * gateways' reads and the reports all stay single-slot, and no SCAN over every master is needed.
 * Several gateway instances sharing one cluster spread over slots by name.
 *
 * <p>The configuration is stored per resource ({@link #entries()}), with a log of which entries
 * each version changed ({@link #log()}), so an edit writes and reads one entry, not the whole
 * configuration ({@link ConfigScripts}).
 *
 * @param gateway the gateway instance name (the Helm release, a DNS label: {@link GatewayName}, so
 *     it never contains the braces that would end the tag early)
 */
public record ConfigKeys(String gateway) {
  private static final String PREFIX = "tollgate:";

  public ConfigKeys {
    GatewayName.require(gateway);
  }

  /**
   * Hash: field {@code <Kind>/<namespace>/<name>} (e.g. {@code Route/shop/orders}) = that
   * resource's entry as JSON ({@link SnapshotRoute} or {@link SnapshotPolicy}); no TTL.
   */
  public String entries() {
    return base() + ":entries";
  }

  /**
   * Stream: one entry per version ({@code <version>-1}) naming the fields it changed, or saying
   * that too many changed to list; capped in length, no TTL.
   */
  public String log() {
    return base() + ":log";
  }

  /** Integer, the newest version; only grows; no TTL. */
  public String version() {
    return base() + ":version";
  }

  /** Leader epoch of the operator that wrote the current version (fencing); no TTL. */
  public String fence() {
    return base() + ":fence";
  }

  /**
   * Random id of the current history of versions: a new one whenever the entries were rewritten as
   * a whole (a fresh or flushed Redis), so a gateway never applies a log of changes to a state from
   * another history; no TTL.
   */
  public String lineage() {
    return base() + ":lineage";
  }

  /** Pub/sub channel; the message is the new version. */
  public String channel() {
    return base();
  }

  /**
   * Hash of the live gateway pods: field = pod id, value = {@code "<served version> <expiry ms>
   * <leader epoch>"}, the expiry taken from Redis {@code TIME} ({@link
   * ConfigScripts#REPORT_APPLIED_VERSION}); field {@code <pod>#rejected} lists the resources that
   * pod left out. The operator drops expired fields when it reads ({@link
   * ConfigScripts#LIVE_GATEWAYS}); the hash itself expires when no gateway has reported for a whole
   * TTL.
   */
  public String gateways() {
    return PREFIX + "{" + gateway + "}:gateways";
  }

  /** The KEYS of {@link ConfigScripts#WRITE_CONFIG}, in the script's order. */
  public String[] writeScriptKeys() {
    return new String[] {entries(), log(), version(), fence(), lineage(), gateways()};
  }

  /** The KEYS of {@link ConfigScripts#READ_CONFIG}, in the script's order. */
  public String[] readScriptKeys() {
    return new String[] {entries(), log(), version(), fence(), lineage()};
  }

  private String base() {
    return PREFIX + "{" + gateway + "}:config";
  }
}
