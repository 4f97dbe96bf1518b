package dev.tollgate.operator.reconciler.ratelimitpolicy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.api.common.TargetRef;
import dev.tollgate.api.v1alpha1.RateLimitPolicy;
import dev.tollgate.api.v1alpha1.RateLimitPolicySpec;
import dev.tollgate.api.v1alpha1.Route;
import dev.tollgate.operator.reconciler.InMemoryCache;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyTargetIndexTest {
  private static RateLimitPolicy policy(String namespace, String name, String... routes) {
    RateLimitPolicySpec spec = new RateLimitPolicySpec();
    spec.setTargetRefs(
        Arrays.stream(routes).map(r -> new TargetRef(TargetRef.Kind.ROUTE, r)).toList());
    RateLimitPolicy policy = new RateLimitPolicy();
    policy.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
    policy.setSpec(spec);
    return policy;
  }

  private static Route route(String namespace, String name) {
    Route route = new Route();
    route.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
    return route;
  }

  @Test
  void aRouteMapsToThePoliciesOfItsNamespaceThatTargetIt() {
    PolicyTargetIndex index =
        new PolicyTargetIndex(
            new InMemoryCache<>(
                List.of(
                    policy("shop", "per-user", "orders", "carts"),
                    policy("shop", "global", "orders"),
                    policy("shop", "carts-only", "carts"),
                    policy("billing", "per-user", "orders")),
                PolicyTargetIndex.indexers()));

    assertThat(index.routeToPolicies().toPrimaryResourceIDs(route("shop", "orders")))
        .containsExactlyInAnyOrder(
            new ResourceID("per-user", "shop"), new ResourceID("global", "shop"));
    assertThat(index.routeToPolicies().toPrimaryResourceIDs(route("shop", "missing"))).isEmpty();
  }

  @Test
  void aPolicyMapsToEachTargetRouteInItsNamespace() {
    assertThat(
            PolicyTargetIndex.policyToRoutes()
                .toSecondaryResourceIDs(policy("shop", "p", "orders", "carts", "orders")))
        .containsExactlyInAnyOrder(
            new ResourceID("orders", "shop"), new ResourceID("carts", "shop"));
  }
}
