package dev.tollgate.operator.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.api.common.TargetRef;
import dev.tollgate.api.v1alpha1.Limit;
import dev.tollgate.api.v1alpha1.Rate;
import dev.tollgate.api.v1alpha1.RateLimitPolicy;
import dev.tollgate.api.v1alpha1.RateLimitPolicySpec;
import dev.tollgate.api.v1alpha1.Route;
import dev.tollgate.api.v1alpha1.RouteBackend;
import dev.tollgate.api.v1alpha1.RouteMatch;
import dev.tollgate.api.v1alpha1.RouteSpec;
import dev.tollgate.operator.cluster.ClusterChange;
import dev.tollgate.operator.cluster.ClusterView;
import dev.tollgate.operator.cluster.EmptyClusterView;
import dev.tollgate.rules.ResourceId;
import dev.tollgate.rules.Rulebook;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SnapshotCompilerTest {
  /** Plain lists standing in for the informer caches. */
  private record Cluster(List<Route> routes, List<RateLimitPolicy> policies)
      implements EmptyClusterView {
    @Override
    public Optional<Route> route(String namespace, String name) {
      return find(routes, namespace, name);
    }

    @Override
    public Optional<RateLimitPolicy> policy(String namespace, String name) {
      return find(policies, namespace, name);
    }

    private static <T extends HasMetadata> Optional<T> find(
        List<T> resources, String namespace, String name) {
      return resources.stream()
          .filter(r -> r.getMetadata().getNamespace().equals(namespace))
          .filter(r -> r.getMetadata().getName().equals(name))
          .findFirst();
    }
  }

  private static Route route(String namespace, String name, String regex) {
    RouteMatch match = new RouteMatch();
    match.setPathRegex(regex);
    RouteBackend backend = new RouteBackend();
    backend.setEndpoints(List.of("http://" + name + ".example:80"));
    RouteSpec spec = new RouteSpec();
    spec.setMatch(match);
    spec.setBackend(backend);
    Route route = new Route();
    route.setMetadata(
        new ObjectMetaBuilder().withNamespace(namespace).withName(name).withGeneration(3L).build());
    route.setSpec(spec);
    return route;
  }

  private static RateLimitPolicy policy(String namespace, String name) {
    return policy(namespace, name, 100);
  }

  private static RateLimitPolicy policy(String namespace, String name, int requests) {
    RateLimitPolicySpec spec = new RateLimitPolicySpec();
    spec.setTargetRefs(List.of(new TargetRef(TargetRef.Kind.ROUTE, "r")));
    Limit limit = new Limit();
    limit.setName("per-ip");
    limit.setRate(new Rate(requests, "24h"));
    spec.setLimits(List.of(limit));
    RateLimitPolicy policy = new RateLimitPolicy();
    policy.setMetadata(
        new ObjectMetaBuilder().withNamespace(namespace).withName(name).withGeneration(1L).build());
    policy.setSpec(spec);
    return policy;
  }

  private static SnapshotCompiler compiler(ClusterView view) {
    return new SnapshotCompiler(view, Rulebook.standard());
  }

  @Test
  void rendersTheSameEntriesWhateverOrderTheCachesListIn() {
    List<Route> routes =
        new ArrayList<>(
            List.of(route("b", "x", "/x"), route("a", "y", "/y"), route("a", "x", "/x")));
    List<RateLimitPolicy> policies =
        new ArrayList<>(List.of(policy("b", "p"), policy("a", "q"), policy("a", "p")));
    CompiledSnapshot first = compiler(new Cluster(routes, policies)).compile();
    Collections.reverse(routes);
    Collections.reverse(policies);

    CompiledSnapshot second = compiler(new Cluster(routes, policies)).compile();

    assertThat(second.entries()).containsExactlyEntriesOf(first.entries());
    assertThat(first.entries().get(ResourceId.route("a", "y")).json())
        .startsWith(
            "{\"namespace\":\"a\",\"name\":\"y\",\"spec\":{\"match\":{\"pathRegex\":\"/y\"}");
  }

  @Test
  void recompilesOnlyWhatTheInformersReportChanged() {
    List<Route> routes = new ArrayList<>(List.of(route("a", "x", "/x"), route("a", "y", "/y")));
    List<RateLimitPolicy> policies = new ArrayList<>(List.of(policy("a", "p")));
    SnapshotCompiler compiler = compiler(new Cluster(routes, policies));
    CompiledSnapshot first = compiler.compile();
    Route changed = route("a", "y", "/z");
    changed.getMetadata().setGeneration(4L);
    routes.set(1, changed);
    policies.clear();
    compiler.changed(new ClusterChange(ClusterChange.Kind.ROUTE, "a", "y"));
    compiler.changed(new ClusterChange(ClusterChange.Kind.POLICY, "a", "p"));

    CompiledSnapshot second = compiler.compile();

    // Unchanged: the very same JSON, not rendered again.
    assertThat(second.entries().get(ResourceId.route("a", "x")).json())
        .isSameAs(first.entries().get(ResourceId.route("a", "x")).json());
    assertThat(second.entries().get(ResourceId.route("a", "y")).json()).contains("/z");
    assertThat(second.entries()).doesNotContainKey(ResourceId.policy("a", "p"));
  }

  @Test
  void aCompilerThatHasNotCompiledYetKeepsNoNoteOfChanges() {
    List<Route> routes = new ArrayList<>(List.of(route("a", "x", "/x")));
    SnapshotCompiler standby = compiler(new Cluster(routes, new ArrayList<>()));
    for (int i = 0; i < 1_000; i++) {
      standby.changed(new ClusterChange(ClusterChange.Kind.ROUTE, "preview-" + i, "x"));
    }
    assertThat(standby.pendingChanges()).isZero();

    // leading, its first compilation goes over everything; changes are noted from then on
    routes.add(route("b", "y", "/y"));
    assertThat(standby.compile().entries()).containsKey(ResourceId.route("b", "y"));
    standby.changed(new ClusterChange(ClusterChange.Kind.ROUTE, "b", "y"));
    assertThat(standby.pendingChanges()).isEqualTo(1);
  }

  @Test
  void ordersByNamespaceThenNameAndRecordsEachEntryWithItsGeneration() throws Exception {
    CompiledSnapshot snapshot =
        compiler(
                new Cluster(
                    List.of(route("b", "x", "/x"), route("a", "y", "/y")),
                    List.of(policy("b", "p"), policy("a", "q"))))
            .compile();

    assertThat(snapshot.entries().keySet())
        .containsExactly(
            ResourceId.route("a", "y"),
            ResourceId.route("b", "x"),
            ResourceId.policy("a", "q"),
            ResourceId.policy("b", "p"));
    assertThat(snapshot.entries().get(ResourceId.route("a", "y")).generation()).isEqualTo(3);
    assertThat(snapshot.routeCount()).isEqualTo(2);
    assertThat(snapshot.policyCount()).isEqualTo(2);
  }

  @Test
  void leavesOutOnlyTheResourcesTheRulebookRefuses() {
    CompiledSnapshot snapshot =
        compiler(
                new Cluster(
                    List.of(route("a", "bad", "/(x"), route("a", "good", "/x")),
                    List.of(
                        policy("a", "daily-too-big", 1_000_000_001),
                        policy("a", "daily", 200_000))))
            .compile();

    assertThat(snapshot.entries().keySet())
        .containsExactly(ResourceId.route("a", "good"), ResourceId.policy("a", "daily"));
  }

  /** A rule that fails on one resource (input it did not foresee) holds back no other resource. */
  @Test
  void aRuleFailingOnOneResourceLeavesOutThatResourceAlone() {
    Rulebook failingOnOne =
        Rulebook.standard()
            .withRouteRule(
                (route, problems) -> {
                  if (route.name().equals("odd")) {
                    throw new NullPointerException("a rule did not foresee this route");
                  }
                })
            .withPolicyRule(
                (policy, problems) -> {
                  if (policy.name().equals("odd")) {
                    throw new IllegalStateException("a rule did not foresee this policy");
                  }
                });

    CompiledSnapshot snapshot =
        new SnapshotCompiler(
                new Cluster(
                    List.of(route("a", "odd", "/x"), route("b", "good", "/y")),
                    List.of(policy("a", "odd"), policy("b", "daily"))),
                failingOnOne)
            .compile();

    assertThat(snapshot.entries().keySet())
        .containsExactly(ResourceId.route("b", "good"), ResourceId.policy("b", "daily"));
  }
}
