package dev.tollgate.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.Type;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
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
@Categories("tollgate")
@AdditionalPrinterColumn(name = "Hosts", jsonPath = ".spec.hosts", type = Type.STRING)
@AdditionalPrinterColumn(
    name = "Path",
    jsonPath = ".spec.match['path','pathPrefix','pathRegex']",
    type = Type.STRING)
@AdditionalPrinterColumn(
    name = "Backend",
    jsonPath = ".spec.backend['service.name','endpoints']",
    type = Type.STRING)
@AdditionalPrinterColumn(
    name = "Accepted",
    jsonPath = ".status.conditions[?(@.type==\"Accepted\")].status",
    type = Type.STRING)
@AdditionalPrinterColumn(
    name = "Programmed",
    jsonPath = ".status.conditions[?(@.type==\"Programmed\")].status",
    type = Type.STRING)
@AdditionalPrinterColumn(name = "Policies", jsonPath = ".status.policies", type = Type.STRING)
@AdditionalPrinterColumn(name = "Reason", jsonPath = ".status.reason", type = Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = Type.DATE)
@AdditionalPrinterColumn(
    name = "Message",
    jsonPath = ".status.message",
    type = Type.STRING,
    priority = 1)
public class Route extends CustomResource<RouteSpec, RouteStatus> implements Namespaced {
  public static final String GROUP = "tollgate.dev";
  public static final String VERSION = "v1alpha1";

  public Route() {}
}
