package dev.tollgate.gateway.config;

import dev.tollgate.api.snapshot.ConfigSnapshot;
import dev.tollgate.gateway.route.RouteTable;

/**
 * Compiles part of a snapshot that the data plane itself does not interpret (e.g. rate limit
 * policies) into an immutable value stored in the {@link GatewayConfig}. It runs on every load,
 * after the routes compiled, and sees only the resources the rulebook accepted. A resource it
 * cannot compile after all goes into {@code rejections} and is left out; everything else is served
 * (or, for a standalone directory, the whole load is refused). Stages read the result with {@link
 * GatewayConfig#extension(Class)}.
 *
 * @param <T> the compiled form, immutable
 */
public interface ConfigExtension<T> {

  /** The key under which the compiled value is stored. */
  Class<T> type();

  T compile(ConfigSnapshot accepted, RouteTable routes, Rejections rejections);

  /**
   * Told, under the applier's lock, once the configuration {@code compiled} belongs to is served
   * (never for a refused load): the place to drop what was kept for what it no longer has, such as
   * meters. Does nothing by default.
   */
  default void applied(T compiled) {}
}
