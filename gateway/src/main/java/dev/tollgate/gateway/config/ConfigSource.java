package dev.tollgate.gateway.config;

/**
 * Where configuration snapshots come from: the standalone directory ({@link DirectoryConfigSource})
 * or the operator's Redis snapshot. A source parses its input into a {@link
 * dev.tollgate.api.snapshot.ConfigSnapshot} and hands every new version to the {@link ConfigSink};
 * the sink validates, compiles and swaps it in, or refuses it and keeps the last good one. A source
 * never blocks the request path.
 */
public interface ConfigSource extends AutoCloseable {

  /**
   * Delivers the current configuration (synchronously, when one is available) and then every change
   * until {@link #close()}.
   */
  void start(ConfigSink sink);

  /** Human-readable origin, e.g. the directory path or Redis key. */
  String description();

  /**
   * How many gateways serve this instance, as last seen where they register (the Redis source
   * counts the live reports in {@code tollgate:{<gw>}:gateways}); 0 = not known (standalone, or not
   * read yet). Cheap: read per request while {@code failureMode: local} limits decide.
   */
  default int liveGateways() {
    return 0;
  }

  @Override
  void close();
}
