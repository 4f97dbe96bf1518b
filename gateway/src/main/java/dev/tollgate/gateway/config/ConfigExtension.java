package dev.tollgate.gateway.config;

import dev.tollgate.api.snapshot.ConfigSnapshot;
import dev.tollgate.gateway.route.RouteTable;

/**
 * Compiles part of a snapshot that the data plane itself does not interpret (e.g. rate limit
 * policies) into an immutable value stored in the {@link GatewayConfig}. It runs on every load,
 * after the routes compiled; a {@link ConfigValidationException} refuses the whole configuration,
 * so the previous one keeps serving. Stages read the result with {@link
 * GatewayConfig#extension(Class)}.
 *
 * @param <T> the compiled form, immutable
 */
public interface ConfigExtension<T> {

  /** The key under which the compiled value is stored. */
  Class<T> type();

  T compile(ConfigSnapshot snapshot, RouteTable routes) throws ConfigValidationException;
}
