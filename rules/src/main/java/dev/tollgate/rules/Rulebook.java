package dev.tollgate.rules;

import dev.tollgate.api.snapshot.SnapshotHttpRoute;
import dev.tollgate.api.snapshot.SnapshotPolicy;
import dev.tollgate.api.snapshot.SnapshotRoute;
import java.util.ArrayList;
import java.util.List;

/**
 * Judges one Route, RateLimitPolicy or HTTPRoute at a time, as it would be served: the operator
 * before it writes (a resource with problems is left out and its status names them), every gateway
 * before it compiles (a resource with problems is skipped and reported, or, for a standalone
 * directory, the whole directory is refused). Because both planes call the same rules, the operator
 * never writes what a gateway would refuse.
 *
 * <p>Rules are pure functions of the resource, so callers may remember a verdict for as long as the
 * resource is unchanged. A rulebook is immutable; {@link #withRouteRule} and {@link
 * #withPolicyRule} return a new one with an extra rule (a deployment's own policy, e.g. which
 * upstream addresses are allowed).
 */
public final class Rulebook {
  private static final Rulebook STANDARD =
      new Rulebook(List.of(RouteRules::check), List.of(PolicyRules::check));

  private final List<RouteRule> routeRules;
  private final List<PolicyRule> policyRules;

  private Rulebook(List<RouteRule> routeRules, List<PolicyRule> policyRules) {
    this.routeRules = List.copyOf(routeRules);
    this.policyRules = List.copyOf(policyRules);
  }

  /** The rules every Tollgate resource is judged by. */
  public static Rulebook standard() {
    return STANDARD;
  }

  public Rulebook withRouteRule(RouteRule rule) {
    List<RouteRule> rules = new ArrayList<>(routeRules);
    rules.add(rule);
    return new Rulebook(rules, policyRules);
  }

  public Rulebook withPolicyRule(PolicyRule rule) {
    List<PolicyRule> rules = new ArrayList<>(policyRules);
    rules.add(rule);
    return new Rulebook(routeRules, rules);
  }

  /** Everything wrong with the route; empty when it can be served. */
  public List<Problem> check(SnapshotRoute route) {
    Problems problems = Problems.collect();
    if (route.spec() == null) {
      problems.add("spec", "required");
    } else {
      routeRules.forEach(rule -> rule.check(route, problems));
    }
    return problems.list();
  }

  /**
   * Everything wrong with the HTTPRoute as resolved for Tollgate's Gateways; empty when servable.
   */
  public List<Problem> check(SnapshotHttpRoute route) {
    Problems problems = Problems.collect();
    HttpRouteRules.check(route, problems);
    return problems.list();
  }

  /** Everything wrong with the policy; empty when it can be enforced. */
  public List<Problem> check(SnapshotPolicy policy) {
    Problems problems = Problems.collect();
    if (policy.spec() == null) {
      problems.add("spec", "required");
    } else {
      policyRules.forEach(rule -> rule.check(policy, problems));
    }
    return problems.list();
  }
}
