package dev.tollgate.gateway;

import dev.tollgate.gateway.config.ConfigSource;
import dev.tollgate.gateway.config.DirectoryConfigSource;
import dev.tollgate.gateway.config.RedisConfigSource;
import dev.tollgate.gateway.ratelimit.PolicyEnforcement;
import dev.tollgate.logging.LogBackend;
import java.util.Map;

/** Entry point of {@code tollgate-gateway.jar}: reads settings, wires, starts; nothing else. */
public final class GatewayMain {
  private GatewayMain() {}

  /** A gateway wired as the jar runs it, with the policy stages it owns. */
  public record Running(Gateway gateway, PolicyEnforcement policies) implements AutoCloseable {
    @Override
    public void close() {
      gateway.close();
      policies.close();
    }
  }

  public static void main(String[] args) {
    Running running;
    try {
      GatewaySettings settings = GatewaySettings.from(System.getenv(), args);
      LogBackend.apply(settings.log());
      running = start(settings, System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("tollgate-gateway: " + e.getMessage());
      System.exit(2);
      return;
    }
    Runtime.getRuntime()
        .addShutdownHook(Thread.ofPlatform().name("tollgate-shutdown").unstarted(running::close));
  }

  /**
   * Wires and starts a gateway: its config source, the policy stages (whose {@code failureMode:
   * local} share follows the source's count of live gateways) and {@code POST /admin/explain}.
   *
   * @param env the process environment ({@code HOSTNAME} names this pod's applied-version report)
   * @throws IllegalArgumentException naming the setting when one is invalid
   */
  public static Running start(GatewaySettings settings, Map<String, String> env) {
    ConfigSource source = configSource(settings, env);
    PolicyEnforcement policies =
        PolicyEnforcement.create(settings.values(), settings.redis(), source::liveGateways);
    Gateway gateway =
        Gateway.start(
            settings,
            source,
            policies.stages(),
            policies.extensions(),
            (routing, active) -> routing.post("/admin/explain", policies.explainHandler(active)),
            Observability.from(settings, env));
    return new Running(gateway, policies);
  }

  static ConfigSource configSource(GatewaySettings settings, Map<String, String> env) {
    if (settings.configDir().isPresent()) {
      return new DirectoryConfigSource(settings.configDir().get(), settings.configPollInterval());
    }
    if (settings.redis().isPresent()) {
      return new RedisConfigSource(
          settings.redis().get(), RedisConfigSource.podId(env), settings.configPollInterval());
    }
    throw new IllegalArgumentException(
        "set TOLLGATE_CONFIG_DIR (standalone mode) or TOLLGATE_REDIS_URL (the operator's snapshot)");
  }
}
