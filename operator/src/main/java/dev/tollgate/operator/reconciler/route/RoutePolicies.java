package dev.tollgate.operator.reconciler.route;

import dev.tollgate.api.v1alpha1.RateLimitPolicy;
import dev.tollgate.api.v1alpha1.Route;
import dev.tollgate.operator.reconciler.ratelimitpolicy.PolicyAcceptance;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Relates Routes and the policies that target them, for a Route's {@code status.policies}. Which
 * policies target a Route is read from the policies as they are now. Which Routes a changed policy
 * concerns are those it targets now and those whose status still lists it: the informer reports
 * only the policy's new state, so a Route it stopped targeting is found by its own status (an index
 * on the Route cache), and JOSDK's index of secondaries, which only ever adds, is not used.
 */
final class RoutePolicies {
  static final String INDEX = "route-by-listed-policy";

  private final IndexedResourceCache<Route> routes;

  RoutePolicies(IndexedResourceCache<Route> routes) {
    this.routes = routes;
  }

  /** The indexer to register on the Route cache before the mapper is used. */
  static Map<String, Function<Route, List<String>>> indexers() {
    return Map.of(
        INDEX,
        route -> {
          String listed = route.getStatus() == null ? null : route.getStatus().getPolicies();
          return listed == null || listed.isEmpty()
              ? List.of()
              : Arrays.stream(listed.split(","))
                  .map(policy -> key(route.getMetadata().getNamespace(), policy))
                  .toList();
        });
  }

  /** The Routes a policy targets now and those whose status lists it. */
  SecondaryToPrimaryMapper<RateLimitPolicy> policyToRoutes() {
    return policy -> {
      String namespace = policy.getMetadata().getNamespace();
      Set<ResourceID> concerned = new HashSet<>();
      if (policy.getSpec() != null) {
        PolicyAcceptance.targetNames(policy.getSpec())
            .forEach(route -> concerned.add(new ResourceID(route, namespace)));
      }
      routes.byIndex(INDEX, key(namespace, policy.getMetadata().getName())).stream()
          .map(ResourceID::fromResource)
          .forEach(concerned::add);
      return concerned;
    };
  }

  /** Whether {@code policy} targets {@code route} (same namespace, a targetRef of kind Route). */
  static boolean targets(RateLimitPolicy policy, Route route) {
    return policy.getSpec() != null
        && policy.getMetadata().getNamespace().equals(route.getMetadata().getNamespace())
        && PolicyAcceptance.targetNames(policy.getSpec()).contains(route.getMetadata().getName());
  }

  private static String key(String namespace, String policy) {
    return namespace + "/" + policy;
  }
}
