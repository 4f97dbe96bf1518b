package dev.tollgate.gateway.config;

import static java.util.stream.Collectors.toSet;

import dev.tollgate.api.snapshot.ConfigSnapshot;
import dev.tollgate.gateway.backend.EndpointPools;
import dev.tollgate.gateway.metrics.GatewayMetrics;
import dev.tollgate.rules.ResourceId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies snapshots from a {@link ConfigSource}: compile, swap, retire what the new configuration
 * no longer has (endpoint pools, and the meters of routes and policies, so that names that come and
 * go do not pile up in {@code /metrics}). Counts every attempt in {@code
 * tollgate_config_reloads_total{result}} and the resources left out of the configuration being
 * served in {@code tollgate_config_rejected_resources{kind}}. A refused load is logged with all its
 * problems and the previous configuration keeps serving; so is every resource left out of an
 * applied one. Requests in flight finish on the configuration they started with.
 */
public final class ConfigApplier implements ConfigSink {
  private static final Logger LOG = LoggerFactory.getLogger(ConfigApplier.class);

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
    for (ResourceId.Kind kind : ResourceId.Kind.values()) {
      metrics.rejectedResources(
          kind.kindName(), () -> active.current().map(c -> c.rejected().count(kind)).orElse(0L));
    }
  }

  @Override
  public synchronized LoadOutcome offer(
      ConfigSnapshot snapshot,
      Rejections unreadable,
      String origin,
      SourceLocations locations,
      Refusal refusal) {
    GatewayConfig config = compiler.compile(snapshot, origin, unreadable);
    Rejections rejected = config.rejected();
    if (refusal == Refusal.WHOLE_LOAD && !rejected.isEmpty()) {
      refuse(origin, new ConfigValidationException(rejected.describe(locations)));
      return LoadOutcome.refused(rejected);
    }
    active.set(config);
    retireWhatIsGone(config);
    metrics.configReload("success");
    LOG.info(
        "Applied configuration version {} from {}: {} routes, {} policies",
        config.version(),
        origin,
        config.routes().routes().size(),
        snapshot.policies().size() - rejected.count(ResourceId.Kind.RATE_LIMIT_POLICY));
    if (!rejected.isEmpty()) {
      LOG.warn(
          "Version {} from {}: {} resources left out, everything else is served:\n{}",
          config.version(),
          origin,
          rejected.byResource().size(),
          String.join("\n", rejected.describe(locations)));
    }
    return LoadOutcome.applied(rejected);
  }

  /**
   * Whatever was kept for a route or policy goes once a configuration without it is served: its
   * endpoint pools (with their circuit gauges), its route's meters, and what the extensions keep
   * (the policies' decision counters). What the configuration still has is kept as it is, so its
   * circuit breakers and counts carry on.
   */
  private void retireWhatIsGone(GatewayConfig config) {
    pools.retainOnly(
        config.routes().routes().stream()
            .flatMap(r -> r.backends().resolved().stream())
            .map(b -> b.pool())
            .distinct()
            .toList());
    metrics.retainRoutes(
        config.routes().routes().stream().map(r -> r.id().toString()).collect(toSet()));
    compiler.applied(config);
  }

  @Override
  public void refuse(String origin, ConfigValidationException problems) {
    metrics.configReload("failure");
    LOG.warn(
        "Refused configuration from {}; {}:\n{}",
        origin,
        active.isLoaded() ? "still serving the previous one" : "no configuration loaded yet",
        problems.getMessage());
  }
}
