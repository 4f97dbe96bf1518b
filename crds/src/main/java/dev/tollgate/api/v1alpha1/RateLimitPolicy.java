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

/** How much traffic: rate limits attached to Routes of the same namespace by their names. */
@Group(Route.GROUP)
@Version(Route.VERSION)
@Singular("ratelimitpolicy")
@Plural("ratelimitpolicies")
@ShortNames({"tgrl", "tgpolicy"})
@Categories("tollgate")
@AdditionalPrinterColumn(name = "Targets", jsonPath = ".status.targets", type = Type.STRING)
@AdditionalPrinterColumn(name = "Limits", jsonPath = ".status.limits", type = Type.STRING)
@AdditionalPrinterColumn(name = "Enforcement", jsonPath = ".spec.enforcement", type = Type.STRING)
@AdditionalPrinterColumn(
    name = "FailureMode",
    jsonPath = ".spec.failureMode",
    type = Type.STRING,
    priority = 1)
@AdditionalPrinterColumn(
    name = "Accepted",
    jsonPath = ".status.conditions[?(@.type==\"Accepted\")].status",
    type = Type.STRING)
@AdditionalPrinterColumn(
    name = "Programmed",
    jsonPath = ".status.conditions[?(@.type==\"Programmed\")].status",
    type = Type.STRING)
@AdditionalPrinterColumn(name = "Reason", jsonPath = ".status.reason", type = Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = Type.DATE)
@AdditionalPrinterColumn(
    name = "Message",
    jsonPath = ".status.message",
    type = Type.STRING,
    priority = 1)
public class RateLimitPolicy extends CustomResource<RateLimitPolicySpec, RateLimitPolicyStatus>
    implements Namespaced {
  public RateLimitPolicy() {}
}
