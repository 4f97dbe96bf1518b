package dev.tollgate.gateway;

import dev.tollgate.gateway.config.ConfigSource;
import dev.tollgate.gateway.config.DirectoryConfigSource;
import dev.tollgate.gateway.config.RedisConfigSource;
import dev.tollgate.gateway.ratelimit.PolicyEnforcement;

/** Entry point of {@code tollgate-gateway.jar}: reads settings, wires, starts; nothing else. */
public final class GatewayMain {
  private GatewayMain() {}

  public static void main(String[] args) {
    if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
      System.setProperty(
          "java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tLZ %4$s %3$s - %5$s%6$s%n");
    }
    GatewaySettings settings;
    ConfigSource source;
    PolicyEnforcement policies;
    Observability observability;
    try {
      settings = GatewaySettings.from(System.getenv(), args);
      source = configSource(settings);
      policies = PolicyEnforcement.create(settings.raw()::get, settings.redis());
      observability = Observability.from(settings, System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("tollgate-gateway: " + e.getMessage());
      System.exit(2);
      return;
    }
    Gateway gateway =
        Gateway.start(
            settings,
            source,
            policies.stages(),
            policies.extensions(),
            (routing, active) -> routing.post("/admin/explain", policies.explainHandler(active)),
            observability);
    Runtime.getRuntime()
        .addShutdownHook(
            Thread.ofPlatform()
                .name("tollgate-shutdown")
                .unstarted(
                    () -> {
                      gateway.close();
                      policies.close();
                    }));
  }

  static ConfigSource configSource(GatewaySettings settings) {
    if (settings.configDir().isPresent()) {
      return new DirectoryConfigSource(settings.configDir().get(), settings.configPollInterval());
    }
    if (settings.redis().isPresent()) {
      return new RedisConfigSource(
          settings.redis().get(),
          RedisConfigSource.podId(System.getenv()),
          settings.configPollInterval());
    }
    throw new IllegalArgumentException(
        "set TOLLGATE_CONFIG_DIR (standalone mode) or TOLLGATE_REDIS_URL (the operator's snapshot)");
  }
}
