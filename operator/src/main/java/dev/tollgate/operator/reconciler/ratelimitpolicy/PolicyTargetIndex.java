package dev.tollgate.operator.reconciler.ratelimitpolicy;

import dev.tollgate.api.common.TargetRef;
import dev.tollgate.api.v1alpha1.RateLimitPolicy;
import dev.tollgate.api.v1alpha1.Route;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.PrimaryToSecondaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Relates policies and what they target: indexes on the policy cache find the policies to re-check
 * when a Route ({@code namespace/route}), an HTTPRoute or a Gateway ({@code kind/namespace/name})
 * appears, changes or disappears, and the policy's targetRefs name the Routes it needs.
 */
public final class PolicyTargetIndex {
  static final String INDEX = "policy-by-target";
  static final String GATEWAY_API_INDEX = "policy-by-gateway-api-target";

  private final IndexedResourceCache<RateLimitPolicy> policies;

  public PolicyTargetIndex(IndexedResourceCache<RateLimitPolicy> policies) {
    this.policies = policies;
  }

  public static Map<String, Function<RateLimitPolicy, List<String>>> indexers() {
    return Map.of(
        INDEX,
        policy ->
            policy.getSpec() == null
                ? List.of()
                : PolicyAcceptance.targetNames(policy.getSpec()).stream()
                    .map(route -> key(policy.getMetadata().getNamespace(), route))
                    .toList(),
        GATEWAY_API_INDEX,
        policy ->
            policy.getSpec() == null || policy.getSpec().getTargetRefs() == null
                ? List.of()
                : policy.getSpec().getTargetRefs().stream()
                    .filter(t -> t.getKind() != null && t.getKind() != TargetRef.Kind.ROUTE)
                    .map(
                        t ->
                            gatewayApiKey(
                                t.getKind(), policy.getMetadata().getNamespace(), t.getName()))
                    .distinct()
                    .toList());
  }

  /** The policies that target the HTTPRoute or Gateway {@code namespace/name}. */
  public Set<ResourceID> targeting(TargetRef.Kind kind, String namespace, String name) {
    return policies.byIndex(GATEWAY_API_INDEX, gatewayApiKey(kind, namespace, name)).stream()
        .map(ResourceID::fromResource)
        .collect(Collectors.toSet());
  }

  public SecondaryToPrimaryMapper<Route> routeToPolicies() {
    return route ->
        policies
            .byIndex(INDEX, key(route.getMetadata().getNamespace(), route.getMetadata().getName()))
            .stream()
            .map(ResourceID::fromResource)
            .collect(Collectors.toSet());
  }

  public static PrimaryToSecondaryMapper<RateLimitPolicy> policyToRoutes() {
    return policy ->
        policy.getSpec() == null
            ? Set.of()
            : PolicyAcceptance.targetNames(policy.getSpec()).stream()
                .map(route -> new ResourceID(route, policy.getMetadata().getNamespace()))
                .collect(Collectors.toSet());
  }

  private static String key(String namespace, String route) {
    return namespace + "/" + route;
  }

  private static String gatewayApiKey(TargetRef.Kind kind, String namespace, String name) {
    return kind + "/" + namespace + "/" + name;
  }
}
