package dev.tollgate.gateway.config;

import dev.tollgate.api.snapshot.ConfigSnapshot;
import dev.tollgate.gateway.metrics.GatewayMetrics;
import dev.tollgate.gateway.proxy.EndpointPools;
import java.lang.System.Logger.Level;

/**
 * Applies snapshots from a {@link ConfigSource}: compile, swap, retire unused endpoint pools.
 * Counts every attempt in {@code tollgate_config_reloads_total{result}}; a refused snapshot is
 * logged with all its problems and the previous configuration keeps serving. Requests in flight
 * finish on the configuration they started with.
 */
public final class ConfigApplier implements ConfigSink {
  private static final System.Logger LOG = System.getLogger(ConfigApplier.class.getName());

  private final ActiveConfig active;
  private final ConfigCompiler compiler;
  private final EndpointPools pools;
  private final GatewayMetrics metrics;

  public ConfigApplier(
      ActiveConfig active, ConfigCompiler compiler, EndpointPools pools, GatewayMetrics metrics) {
    this.active = active;
    this.compiler = compiler;
    this.pools = pools;
    this.metrics = metrics;
    metrics.configVersion(() -> active.current().map(GatewayConfig::version).orElse(0L));
  }

  @Override
  public synchronized boolean offer(
      ConfigSnapshot snapshot, String origin, SourceLocations locations) {
    GatewayConfig config;
    try {
      config = compiler.compile(snapshot, origin, locations);
    } catch (ConfigValidationException e) {
      refuse(origin, e);
      return false;
    }
    active.set(config);
    pools.retainOnly(
        config.routes().routes().stream().map(r -> r.backend().pool()).distinct().toList());
    metrics.configReload("success");
    LOG.log(
        Level.INFO,
        "Applied configuration version {0} from {1}: {2} routes, {3} policies",
        config.version(),
        origin,
        config.routes().routes().size(),
        snapshot.policies().size());
    return true;
  }

  @Override
  public void refuse(String origin, ConfigValidationException problems) {
    metrics.configReload("failure");
    LOG.log(
        Level.WARNING,
        "Refused configuration from {0}; {1}:\n{2}",
        origin,
        active.isLoaded() ? "still serving the previous one" : "no configuration loaded yet",
        problems.getMessage());
  }
}
