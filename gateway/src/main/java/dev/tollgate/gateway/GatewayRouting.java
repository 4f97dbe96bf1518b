package dev.tollgate.gateway;

import dev.tollgate.gateway.admin.ConfigView;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRouting;

/**
 * The two routings. Public: one catch-all handler (routes change at runtime, Helidon routing does
 * not) plus the single problem+json error mapping. Admin: {@code /admin/config}; {@code /metrics}
 * and {@code /health/*} are added to the admin socket by the observe feature.
 */
public final class GatewayRouting {
  private GatewayRouting() {}

  public static void routing(HttpRouting.Builder routing, Handler gateway) {
    ProblemResponder.register(routing);
    routing.any(gateway);
  }

  public static void adminRouting(HttpRouting.Builder routing, ConfigView configView) {
    routing.get("/admin/config", configView);
  }
}
