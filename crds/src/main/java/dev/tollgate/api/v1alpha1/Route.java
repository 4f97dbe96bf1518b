package dev.tollgate.api.v1alpha1;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/** Where traffic goes: which requests a gateway matches and the backend it proxies them to. */
@Group(Route.GROUP)
@Version(Route.VERSION)
@Singular("route")
@Plural("routes")
@ShortNames({"tgr", "tgroute"})
public class Route extends CustomResource<RouteSpec, RouteStatus> implements Namespaced {
  public static final String GROUP = "tollgate.dev";
  public static final String VERSION = "v1alpha1";

  public Route() {}
}
