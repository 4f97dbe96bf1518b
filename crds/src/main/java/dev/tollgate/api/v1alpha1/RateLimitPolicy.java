package dev.tollgate.api.v1alpha1;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
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
public class RateLimitPolicy extends CustomResource<RateLimitPolicySpec, RateLimitPolicyStatus>
    implements Namespaced {
  public RateLimitPolicy() {}
}
