package dev.tollgate.gateway.auth;

import dev.tollgate.api.snapshot.ConfigSnapshot;
import dev.tollgate.api.snapshot.SnapshotRoute;
import dev.tollgate.api.v1alpha1.RouteAuth.JwtMode;
import dev.tollgate.gateway.config.ConfigExtension;
import dev.tollgate.gateway.config.Rejections;
import dev.tollgate.gateway.route.RouteId;
import dev.tollgate.gateway.route.RouteTable;
import java.util.HashMap;
import java.util.Map;

/**
 * Each route's {@code spec.auth.jwt}, compiled with the configuration so that a reload switches a
 * route's mode for new requests only. Routes without {@code auth} are {@code none}.
 */
public record RouteAuthModes(Map<RouteId, JwtMode> modes) {
  public RouteAuthModes {
    modes = Map.copyOf(modes);
  }

  public JwtMode modeOf(RouteId route) {
    return modes.getOrDefault(route, JwtMode.NONE);
  }

  /** The {@link ConfigExtension} that builds this from a snapshot. */
  public static ConfigExtension<RouteAuthModes> compiler() {
    return new ConfigExtension<>() {
      @Override
      public Class<RouteAuthModes> type() {
        return RouteAuthModes.class;
      }

      @Override
      public RouteAuthModes compile(
          ConfigSnapshot accepted, RouteTable routes, Rejections rejections) {
        Map<RouteId, JwtMode> modes = new HashMap<>();
        for (SnapshotRoute route : accepted.routes()) {
          if (route.spec() != null
              && route.spec().getAuth() != null
              && route.spec().getAuth().getJwt() != null) {
            modes.put(
                new RouteId(route.namespace(), route.name()), route.spec().getAuth().getJwt());
          }
        }
        return new RouteAuthModes(modes);
      }
    };
  }
}
