package dev.tollgate.rules;

import dev.tollgate.api.snapshot.SnapshotHttpRoute;
import dev.tollgate.api.snapshot.SnapshotPolicy;
import dev.tollgate.api.snapshot.SnapshotRoute;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

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
 * upstream addresses are allowed), {@link #withTenancy} the rules for teams sharing an instance.
 *
 * <p>One rule is not about a resource alone: who owns a host depends on every Route that lists it
 * ({@link #hostOwners}). Callers judge it over all Routes they hold and add its conflicts to the
 * per-resource verdict.
 */
public final class Rulebook {
  private static final Rulebook STANDARD =
      new Rulebook(List.of(RouteRules::check), List.of(PolicyRules::check), null, null);

  private final List<RouteRule> routeRules;
  private final List<PolicyRule> policyRules;

  /** Hosts any namespace may list; null = no host ownership (no tenancy). */
  private final Set<String> sharedHosts;

  /** Where tenants' backends may go, also an HTTPRoute's; null = anywhere (no tenancy). */
  private final UpstreamPolicy upstreams;

  private Rulebook(
      List<RouteRule> routeRules,
      List<PolicyRule> policyRules,
      Set<String> sharedHosts,
      UpstreamPolicy upstreams) {
    this.routeRules = List.copyOf(routeRules);
    this.policyRules = List.copyOf(policyRules);
    this.sharedHosts = sharedHosts == null ? null : Set.copyOf(sharedHosts);
    this.upstreams = upstreams;
  }

  /** The rules every Tollgate resource is judged by. */
  public static Rulebook standard() {
    return STANDARD;
  }

  public Rulebook withRouteRule(RouteRule rule) {
    List<RouteRule> rules = new ArrayList<>(routeRules);
    rules.add(rule);
    return new Rulebook(rules, policyRules, sharedHosts, upstreams);
  }

  public Rulebook withPolicyRule(PolicyRule rule) {
    List<PolicyRule> rules = new ArrayList<>(policyRules);
    rules.add(rule);
    return new Rulebook(routeRules, rules, sharedHosts, upstreams);
  }

  /**
   * These rules plus those of teams sharing one gateway instance: Routes held to {@link
   * Tenancy#upstreams()}, and hosts owned by the namespace that claimed them first.
   */
  public Rulebook withTenancy(Tenancy tenancy) {
    List<RouteRule> rules = new ArrayList<>(routeRules);
    rules.add(tenancy.upstreams());
    return new Rulebook(rules, policyRules, tenancy.sharedHosts(), tenancy.upstreams());
  }

  /**
   * Who owns each host among {@code claims} (every Route the caller holds, valid or not), the
   * namespaces that owned hosts before ({@code incumbents}) keeping them; without tenancy nobody
   * does, and no Route conflicts.
   */
  public HostOwnership hostOwners(
      Collection<HostOwnership.Claim> claims, Map<String, String> incumbents) {
    return sharedHosts == null
        ? HostOwnership.of(List.of(), Set.of(), Map.of())
        : HostOwnership.of(claims, sharedHosts, incumbents);
  }

  /** Everything wrong with the route; empty when it can be served. */
  public List<Problem> check(SnapshotRoute route) {
    return judged(
        problems -> {
          if (route.spec() == null) {
            problems.add("spec", "required");
          } else {
            routeRules.forEach(rule -> rule.check(route, problems));
          }
        });
  }

  /**
   * Everything wrong with the HTTPRoute as resolved for Tollgate's Gateways; empty when servable.
   */
  public List<Problem> check(SnapshotHttpRoute route) {
    return judged(problems -> HttpRouteRules.check(route, problems));
  }

  /**
   * Why an HTTPRoute of {@code routeNamespace} may not use its backendRef to the Service {@code
   * serviceNamespace/serviceName}, which resolved to {@code endpoints}: the tenancy rules a Route's
   * {@code backend.service} is held to ({@link UpstreamPolicy#service}), so an HTTPRoute is no way
   * around them. Empty without tenancy. The caller refuses that backend alone (the Gateway API's
   * way with a reference it may not follow): the route's other backends keep serving.
   */
  public List<Problem> checkServiceBackend(
      String routeNamespace, String serviceNamespace, String serviceName, List<String> endpoints) {
    return judged(
        problems -> {
          if (upstreams != null) {
            upstreams.service(routeNamespace, serviceNamespace, serviceName, endpoints, problems);
          }
        });
  }

  /** Everything wrong with the policy; empty when it can be enforced. */
  public List<Problem> check(SnapshotPolicy policy) {
    return judged(
        problems -> {
          if (policy.spec() == null) {
            problems.add("spec", "required");
          } else {
            policyRules.forEach(rule -> rule.check(policy, problems));
          }
        });
  }

  /**
   * The problems {@code rules} find in one resource. A rule that fails unexpectedly (on an entry no
   * API server lets through, such as a null in a list, written to Redis by hand) makes that the
   * resource's problem alone: thrown on, it would fail the whole configuration build of the
   * operator or of a gateway, every team's resources held back by one.
   */
  private static List<Problem> judged(Consumer<Problems> rules) {
    Problems problems = Problems.collect();
    try {
      rules.accept(problems);
    } catch (RuntimeException e) {
      return List.of(Problem.unexpected("judged", e));
    }
    return problems.list();
  }
}
