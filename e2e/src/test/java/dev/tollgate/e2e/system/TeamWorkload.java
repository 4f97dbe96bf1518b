package dev.tollgate.e2e.system;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.tollgate.api.common.ApiYaml;
import dev.tollgate.api.snapshot.SnapshotPolicy;
import dev.tollgate.api.v1alpha1.RateLimitPolicySpec;
import dev.tollgate.rules.Rulebook;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;

/**
 * One team's resources on a shared gateway instance, as the team has applied them, and the edits it
 * makes next, drawn from a seeded random: Routes {@code r0..r3} ({@code /t<team>/r<i>}, to the
 * team's Service) each with at most one policy {@code p<i>} targeting it; edits add and delete
 * Routes (a policy may come before its Route, a Route may be deleted and added again), apply
 * policies with valid quotas, apply quotas at the engine's edges (calendar windows, sizes older
 * builds could not run, one the CRD refuses at apply, one only the rulebook can refuse), and delete
 * policies.
 *
 * <p>What the gateways must serve follows from that state and from the {@link Rulebook} itself: a
 * policy the rulebook refuses is left out (so when the engine's bounds widen, the same quotas turn
 * valid and the test expects them served).
 */
final class TeamWorkload {
  static final int ROUTES = 4;

  /**
   * Quotas at the engine's edges: a daily quota of 200,000 and 10 million a month (rolling or per
   * calendar month), which earlier builds refused; a calendar day in a zone the tz database does
   * not have, which the schema lets through and only the rulebook refuses (reported on the policy's
   * status); and a sliding log too large to keep, which the CRD's rules refuse at apply.
   */
  private static final List<Quota> EDGE_QUOTAS =
      List.of(
          new Quota("fixed-window", 200_000, "24h", null),
          new Quota("token-bucket", 10_000_000, "720h", null),
          new Quota("fixed-window", 10_000_000, null, "{calendar: month, timeZone: Europe/Berlin}"),
          new Quota("fixed-window", 200_000, null, "{calendar: day, timeZone: Europe/Berln}"),
          new Quota("sliding-log", 200_000, "1m", null));

  /**
   * A limit's numbers: requests per rolling {@code period}, or per calendar {@code window} (YAML).
   */
  record Quota(String algorithm, long requests, String period, String window) {}

  /**
   * One edit, applied with {@code kubectl}; {@code yaml} is empty for a delete.
   *
   * @param previous the route's policy before the edit (null: none)
   * @param before what the gateways served for the route before the edit ({@link #expected})
   */
  record Edit(
      Kind kind,
      int route,
      String resource,
      String yaml,
      Quota previous,
      Optional<OptionalInt> before) {
    enum Kind {
      ADD_ROUTE,
      DELETE_ROUTE,
      APPLY_POLICY,
      APPLY_EDGE_QUOTA,
      DELETE_POLICY
    }
  }

  private final int index;
  private final String namespace;
  private final Random random;
  private final boolean[] routes = new boolean[ROUTES];
  private final Quota[] policies = new Quota[ROUTES];
  private final Rulebook rulebook = Rulebook.standard();
  private long nextQuota;

  TeamWorkload(int index, String namespace, long seed) {
    this.index = index;
    this.namespace = namespace;
    this.random = new Random(seed);
    this.nextQuota = 100_000L + 10_000L * index;
  }

  String namespace() {
    return namespace;
  }

  String path(int route) {
    return "/t" + index + "/r" + route;
  }

  /** The next edit; the state already counts it as applied (see {@link #refusedAtApply}). */
  Edit next() {
    int route = random.nextInt(ROUTES);
    List<Edit.Kind> possible = new ArrayList<>();
    possible.add(routes[route] ? Edit.Kind.DELETE_ROUTE : Edit.Kind.ADD_ROUTE);
    if (!routes[route]) {
      possible.add(Edit.Kind.ADD_ROUTE);
      possible.add(Edit.Kind.ADD_ROUTE);
    }
    for (int i = 0; i < 4; i++) {
      possible.add(Edit.Kind.APPLY_POLICY);
    }
    possible.add(Edit.Kind.APPLY_EDGE_QUOTA);
    if (policies[route] != null) {
      possible.add(Edit.Kind.DELETE_POLICY);
    }
    Edit.Kind kind = possible.get(random.nextInt(possible.size()));
    Quota previous = policies[route];
    Optional<OptionalInt> before = expected(route);
    return switch (kind) {
      case ADD_ROUTE -> {
        routes[route] = true;
        yield new Edit(kind, route, "route/r" + route, routeYaml(route), previous, before);
      }
      case DELETE_ROUTE -> {
        routes[route] = false;
        yield new Edit(kind, route, "route/r" + route, "", previous, before);
      }
      case APPLY_POLICY -> {
        policies[route] = new Quota("token-bucket", nextQuota++, "1h", null);
        yield new Edit(
            kind, route, "ratelimitpolicy/p" + route, policyYaml(route), previous, before);
      }
      case APPLY_EDGE_QUOTA -> {
        policies[route] = EDGE_QUOTAS.get(random.nextInt(EDGE_QUOTAS.size()));
        yield new Edit(
            kind, route, "ratelimitpolicy/p" + route, policyYaml(route), previous, before);
      }
      case DELETE_POLICY -> {
        policies[route] = null;
        yield new Edit(kind, route, "ratelimitpolicy/p" + route, "", previous, before);
      }
    };
  }

  /**
   * The API server refused {@code edit}'s policy at {@code kubectl apply} (a CEL rule carries the
   * engine's bound): the previous policy stays.
   */
  void refusedAtApply(Edit edit) {
    policies[edit.route()] = edit.previous();
  }

  Quota policy(int route) {
    return policies[route];
  }

  boolean routeExists(int route) {
    return routes[route];
  }

  /** Whether the rulebook lets the policy of {@code route} be served (empty: no policy). */
  boolean policyValid(int route) {
    return policies[route] != null && rulebook.check(snapshotPolicy(route)).isEmpty();
  }

  /**
   * What a request to the route must get from every gateway: empty when the route is not served
   * (404); otherwise the quota its policy enforces, or empty inside when none applies.
   */
  Optional<OptionalInt> expected(int route) {
    if (!routes[route]) {
      return Optional.empty();
    }
    return Optional.of(
        policyValid(route)
            ? OptionalInt.of(Math.toIntExact(policies[route].requests()))
            : OptionalInt.empty());
  }

  private SnapshotPolicy snapshotPolicy(int route) {
    try {
      RateLimitPolicySpec spec =
          ApiYaml.mapper()
              .readValue(policyYaml(route).split("spec:\n", 2)[1], RateLimitPolicySpec.class);
      return new SnapshotPolicy(namespace, "p" + route, spec);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private String routeYaml(int route) {
    return """
        apiVersion: tollgate.dev/v1alpha1
        kind: Route
        metadata: {name: r%d}
        spec:
          match: {pathPrefix: %s}
          backend: {service: {name: backend, port: 8080}}
        """
        .formatted(route, path(route));
  }

  private String policyYaml(int route) {
    Quota quota = policies[route];
    return """
        apiVersion: tollgate.dev/v1alpha1
        kind: RateLimitPolicy
        metadata: {name: p%d}
        spec:
          targetRefs: [{kind: Route, name: r%d}]
          limits:
          - name: quota
            algorithm: %s
            rate: {requests: %d%s}
        %s"""
        .formatted(
            route,
            route,
            quota.algorithm(),
            quota.requests(),
            quota.period() == null ? "" : ", period: " + quota.period(),
            quota.window() == null ? "" : "    window: " + quota.window() + "\n");
  }
}
