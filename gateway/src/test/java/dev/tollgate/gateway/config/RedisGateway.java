package dev.tollgate.gateway.config;

import dev.tollgate.gateway.Gateway;
import dev.tollgate.gateway.GatewaySettings;
import dev.tollgate.gateway.ratelimit.PolicyEnforcement;
import dev.tollgate.testkit.LoopbackHttp;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A real gateway on free loopback ports whose configuration comes from {@link RedisConfigSource}.
 */
final class RedisGateway implements AutoCloseable {
  static final String GATEWAY_NAME = "it";

  private final Gateway gateway;
  private final Optional<PolicyEnforcement> enforcement;

  private RedisGateway(Gateway gateway, Optional<PolicyEnforcement> enforcement) {
    this.gateway = gateway;
    this.enforcement = enforcement;
  }

  /**
   * @param pollInterval version poll; a long one leaves pub/sub as the only trigger
   */
  static RedisGateway start(String redisUri, String podId, Duration pollInterval) {
    GatewaySettings settings = GatewaySettings.from(settings(redisUri, Map.of()));
    RedisConfigSource source =
        new RedisConfigSource(settings.redis().orElseThrow(), podId, pollInterval);
    return new RedisGateway(
        Gateway.start(settings, source, List.of(), List.of()), Optional.empty());
  }

  /**
   * As {@link #start}, and enforcing the snapshot's policies with the limiter in the same Redis.
   * The limiter's time budget is 5 s instead of 50 ms: on a busy 2-core machine a decision over
   * budget fails open, and a test of limits would see a 200 where the limit says 429.
   */
  static RedisGateway startEnforcing(String redisUri, String podId, Duration pollInterval) {
    GatewaySettings settings =
        GatewaySettings.from(settings(redisUri, Map.of("TOLLGATE_LIMITER_TIMEOUT", "5s")));
    RedisConfigSource source =
        new RedisConfigSource(settings.redis().orElseThrow(), podId, pollInterval);
    PolicyEnforcement enforcement = PolicyEnforcement.create(settings.values(), settings.redis());
    return new RedisGateway(
        Gateway.start(settings, source, enforcement.stages(), enforcement.extensions()),
        Optional.of(enforcement));
  }

  /**
   * The settings of a gateway on free loopback ports reading instance {@value #GATEWAY_NAME} from
   * {@code redisUri}, plus {@code extra}.
   */
  static Map<String, String> settings(String redisUri, Map<String, String> extra) {
    Map<String, String> settings = new java.util.HashMap<>();
    settings.put("TOLLGATE_BIND_ADDRESS", "127.0.0.1");
    settings.put("TOLLGATE_PORT", "0");
    settings.put("TOLLGATE_ADMIN_PORT", "0");
    settings.put("TOLLGATE_REDIS_URL", redisUri);
    settings.put("TOLLGATE_GATEWAY_NAME", GATEWAY_NAME);
    settings.put("TOLLGATE_DRAIN_TIMEOUT", "5s");
    // generous: on a busy 2-core machine a 2 s connect can time out without any reload
    settings.put("TOLLGATE_UPSTREAM_CONNECT_TIMEOUT", "10s");
    settings.putAll(extra);
    return settings;
  }

  Gateway gateway() {
    return gateway;
  }

  /** Version served, 0 while nothing is loaded. */
  long version() {
    return gateway.config().current().map(GatewayConfig::version).orElse(0L);
  }

  HttpResponse<String> get(String path) {
    return LoopbackHttp.get(gateway.port(), path);
  }

  HttpResponse<String> admin(String path) {
    return LoopbackHttp.get(gateway.adminPort(), path);
  }

  boolean ready() {
    return admin("/health/ready").statusCode() == 200;
  }

  /**
   * A sample's value from {@code /metrics} (0 when absent), found by the start of its line, e.g.
   * {@code x_total{result="y"} (further labels may follow)}.
   */
  double metric(String prefix) {
    return admin("/metrics")
        .body()
        .lines()
        .filter(l -> l.startsWith(prefix))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .findFirst()
        .orElse(0);
  }

  @Override
  public void close() {
    gateway.close();
    enforcement.ifPresent(PolicyEnforcement::close);
  }
}
