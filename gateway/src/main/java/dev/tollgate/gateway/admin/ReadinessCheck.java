package dev.tollgate.gateway.admin;

import io.helidon.health.HealthCheck;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;
import java.util.function.BooleanSupplier;

/**
 * Ready = a configuration is loaded and the gateway is not draining; Kubernetes then routes traffic
 * to the pod only while it can serve it.
 */
public final class ReadinessCheck implements HealthCheck {
  private final BooleanSupplier configLoaded;
  private final BooleanSupplier draining;

  public ReadinessCheck(BooleanSupplier configLoaded, BooleanSupplier draining) {
    this.configLoaded = configLoaded;
    this.draining = draining;
  }

  @Override
  public HealthCheckType type() {
    return HealthCheckType.READINESS;
  }

  @Override
  public String name() {
    return "config";
  }

  @Override
  public HealthCheckResponse call() {
    boolean loaded = configLoaded.getAsBoolean();
    boolean drainingNow = draining.getAsBoolean();
    return HealthCheckResponse.builder()
        .status(loaded && !drainingNow)
        .detail("configLoaded", loaded)
        .detail("draining", drainingNow)
        .build();
  }
}
