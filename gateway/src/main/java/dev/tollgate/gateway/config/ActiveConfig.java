package dev.tollgate.gateway.config;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/** Holds the configuration being served; swapped atomically by a reload. */
public final class ActiveConfig {
  private final AtomicReference<GatewayConfig> current = new AtomicReference<>();

  /** Empty until the first valid configuration was loaded (the gateway is not ready). */
  public Optional<GatewayConfig> current() {
    return Optional.ofNullable(current.get());
  }

  public boolean isLoaded() {
    return current.get() != null;
  }

  public void set(GatewayConfig config) {
    current.set(config);
  }
}
