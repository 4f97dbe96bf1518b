package dev.tollgate.gateway.ratelimit;

import dev.tollgate.api.common.DurationStrings;
import dev.tollgate.api.common.TargetRef;
import dev.tollgate.api.snapshot.ConfigSnapshot;
import dev.tollgate.api.snapshot.SnapshotPolicy;
import dev.tollgate.api.v1alpha1.Limit;
import dev.tollgate.api.v1alpha1.LimitWindow;
import dev.tollgate.api.v1alpha1.Rate;
import dev.tollgate.api.v1alpha1.RateLimitPolicySpec;
import dev.tollgate.api.v1alpha1.RateLimitPolicySpec.Enforcement;
import dev.tollgate.api.v1alpha1.RateLimitPolicySpec.FailureMode;
import dev.tollgate.api.v1alpha1.Tier;
import dev.tollgate.gateway.config.ConfigExtension;
import dev.tollgate.gateway.config.Rejections;
import dev.tollgate.gateway.route.CompiledRoute;
import dev.tollgate.gateway.route.RouteId;
import dev.tollgate.gateway.route.RouteTable;
import dev.tollgate.limiter.Algorithm;
import dev.tollgate.limiter.CalendarWindow;
import dev.tollgate.limiter.LimitDefinition;
import dev.tollgate.limiter.LimitId;
import dev.tollgate.limiter.RollingWindow;
import dev.tollgate.limiter.Window;
import dev.tollgate.rules.Problem;
import dev.tollgate.rules.ResourceId;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Compiles the snapshot's RateLimitPolicies into an {@link EnforcementPlan}: each policy's limits
 * are attached to the routes its {@code targetRefs} name in the same namespace: a Route; every rule
 * of an HTTPRoute, or the one its {@code sectionName} names; every HTTPRoute rule attached to a
 * Gateway. A target that is not served (absent, or left out) attaches nothing. The policies arrive
 * judged by the rulebook; one the engine still refuses (its defensive invariants) is left out and
 * rejected on its own, so it never affects another policy.
 *
 * <p>Merge rule (after Kuadrant's defaults and overrides, with only defaults): where policies of
 * different levels give a route limits of the same name, only those of the most specific level
 * apply: an HTTPRoute rule ({@code sectionName}) over the whole HTTPRoute over its Gateway. So a
 * Gateway's policy is a default that a team overrides per route, limit by limit; limits of other
 * names add up. Policies of the same level all apply (their limits named {@code policy/limit} where
 * names collide).
 *
 * <p>Incremental: a policy unchanged since the previous compilation keeps its compiled limits. Not
 * thread-safe: compilations run one at a time under the applier's lock.
 */
public final class PolicyCompiler implements ConfigExtension<EnforcementPlan> {
  private final Consumer<EnforcementPlan> whenApplied;
  private Map<ResourceId, Compiled> previous = Map.of();

  /** A compiler that tells no one when its plans are applied. */
  public PolicyCompiler() {
    this(plan -> {});
  }

  /**
   * @param whenApplied told each plan once the configuration it was compiled for is served
   */
  PolicyCompiler(Consumer<EnforcementPlan> whenApplied) {
    this.whenApplied = whenApplied;
  }

  /** One policy's limits as compiled, or why it could not be. */
  private record Compiled(
      SnapshotPolicy source, List<CompiledLimit> limits, RuntimeException failure) {
    static Compiled of(SnapshotPolicy policy) {
      try {
        return new Compiled(policy, compilePolicy(policy), null);
      } catch (RuntimeException e) {
        return new Compiled(policy, List.of(), e);
      }
    }
  }

  @Override
  public Class<EnforcementPlan> type() {
    return EnforcementPlan.class;
  }

  @Override
  public EnforcementPlan compile(
      ConfigSnapshot accepted, RouteTable routes, Rejections rejections) {
    Map<RouteId, List<Attached>> byRoute = new LinkedHashMap<>();
    Map<ResourceId, Compiled> next = new HashMap<>();
    for (SnapshotPolicy policy : accepted.policies()) {
      ResourceId id = ResourceId.of(policy);
      Compiled compiled = previous.get(id);
      if (compiled == null || (compiled.source() != policy && !compiled.source().equals(policy))) {
        compiled = Compiled.of(policy);
      }
      next.put(id, compiled);
      if (compiled.failure() != null) {
        rejections.add(id, Problem.unexpected("compiled", compiled.failure()));
        continue;
      }
      // a map: a route a policy reaches twice (its HTTPRoute and a rule of it) gets each limit
      // once,
      // at the more specific level
      Map<RouteId, Integer> targets = new LinkedHashMap<>();
      for (TargetRef ref : policy.spec().getTargetRefs()) {
        targetsOf(policy.namespace(), ref, routes)
            .forEach(route -> targets.merge(route, specificity(ref), Math::max));
      }
      for (Map.Entry<RouteId, Integer> target : targets.entrySet()) {
        byRoute
            .computeIfAbsent(target.getKey(), r -> new ArrayList<>())
            .add(new Attached(target.getValue(), compiled.limits()));
      }
    }
    previous = next;
    Map<RouteId, List<CompiledLimit>> named = new HashMap<>();
    byRoute.forEach((route, attached) -> named.put(route, withUniqueNames(mostSpecific(attached))));
    return new EnforcementPlan(named);
  }

  @Override
  public void applied(EnforcementPlan plan) {
    whenApplied.accept(plan);
  }

  /** A policy's limits on one route, and how specifically the policy named that route. */
  private record Attached(int specificity, List<CompiledLimit> limits) {}

  /** Gateway 0, a whole HTTPRoute or a Route 1, one HTTPRoute rule 2. */
  private static int specificity(TargetRef ref) {
    return switch (ref.getKind()) {
      case GATEWAY -> 0;
      case ROUTE -> 1;
      case HTTP_ROUTE -> ref.getSectionName() == null ? 1 : 2;
    };
  }

  private static Set<RouteId> targetsOf(String namespace, TargetRef ref, RouteTable routes) {
    Set<RouteId> targets = new LinkedHashSet<>();
    switch (ref.getKind()) {
      case ROUTE -> targets.add(new RouteId(namespace, ref.getName()));
      case HTTP_ROUTE -> {
        for (CompiledRoute route : routes.routes()) {
          RouteId id = route.id();
          if (id.isHttpRoute()
              && id.namespace().equals(namespace)
              && id.name().equals(ref.getName())
              && (ref.getSectionName() == null || ref.getSectionName().equals(id.rule()))) {
            targets.add(id);
          }
        }
      }
      case GATEWAY -> {
        String gateway = namespace + "/" + ref.getName();
        for (CompiledRoute route : routes.routes()) {
          if (route.gateways().contains(gateway)) {
            targets.add(route.id());
          }
        }
      }
    }
    return targets;
  }

  /** Per limit name, only the limits of the most specific level that has that name. */
  private static List<CompiledLimit> mostSpecific(List<Attached> attached) {
    Map<String, Integer> level = new HashMap<>();
    for (Attached a : attached) {
      for (CompiledLimit limit : a.limits()) {
        level.merge(limit.name(), a.specificity(), Math::max);
      }
    }
    List<CompiledLimit> kept = new ArrayList<>();
    for (Attached a : attached) {
      for (CompiledLimit limit : a.limits()) {
        if (level.get(limit.name()) == a.specificity()) {
          kept.add(limit);
        }
      }
    }
    return kept;
  }

  private static List<CompiledLimit> compilePolicy(SnapshotPolicy policy) {
    RateLimitPolicySpec spec = policy.spec();
    Enforcement enforcement =
        spec.getEnforcement() == null ? Enforcement.ENFORCE : spec.getEnforcement();
    FailureMode failureMode =
        spec.getFailureMode() == null ? FailureMode.OPEN : spec.getFailureMode();
    String policyName = policy.namespace() + "/" + policy.name();
    List<CompiledLimit> compiled = new ArrayList<>();
    for (Limit limit : spec.getLimits()) {
      compiled.add(compileLimit(policy, policyName, limit, enforcement, failureMode));
    }
    return compiled;
  }

  private static CompiledLimit compileLimit(
      SnapshotPolicy policy,
      String policyName,
      Limit limit,
      Enforcement enforcement,
      FailureMode failureMode) {
    LimitId id = new LimitId(policy.namespace(), policy.name(), limit.getName());
    Algorithm algorithm =
        Algorithm.valueOf(
            (limit.getAlgorithm() == null ? Limit.Algorithm.TOKEN_BUCKET : limit.getAlgorithm())
                .name());
    Rate rate = limit.getRate();
    Optional<CalendarWindow> calendar = calendarOf(limit.getWindow());
    LimitDefinition base =
        definition(
            id,
            algorithm,
            calendar,
            rate,
            limit.getBurst() == null ? rate.getRequests() : limit.getBurst());
    Map<String, Optional<LimitDefinition>> tiers = new HashMap<>();
    Optional<String> tierClaim = Optional.empty();
    if (limit.getTiers() != null) {
      tierClaim = Optional.of(limit.getTiers().getClaim());
      for (Map.Entry<String, Tier> entry : limit.getTiers().getValues().entrySet()) {
        tiers.put(entry.getKey(), tierDefinition(id, algorithm, calendar, entry.getValue()));
      }
    }
    List<KeyComponent> key =
        limit.getKey() == null ? List.of() : limit.getKey().stream().map(KeyComponent::of).toList();
    long cost = limit.getCost() == null ? 1 : limit.getCost();
    return new CompiledLimit(
        policyName, limit.getName(), base, key, tierClaim, tiers, cost, enforcement, failureMode);
  }

  /**
   * A tier's numbers (its rate, its burst or else its rate's requests, in the limit's calendar
   * window if it has one); empty = unlimited.
   */
  private static Optional<LimitDefinition> tierDefinition(
      LimitId id, Algorithm algorithm, Optional<CalendarWindow> calendar, Tier tier) {
    if (Boolean.TRUE.equals(tier.getUnlimited())) {
      return Optional.empty();
    }
    long burst = tier.getBurst() == null ? tier.getRate().getRequests() : tier.getBurst();
    return Optional.of(definition(id, algorithm, calendar, tier.getRate(), burst));
  }

  /** The limit's calendar window; empty for a rolling {@code rate.period}. */
  private static Optional<CalendarWindow> calendarOf(LimitWindow window) {
    if (window == null) {
      return Optional.empty();
    }
    return Optional.of(
        new CalendarWindow(
            CalendarWindow.Unit.valueOf(window.getCalendar().name()),
            ZoneId.of(window.getTimeZone())));
  }

  private static LimitDefinition definition(
      LimitId id, Algorithm algorithm, Optional<CalendarWindow> calendar, Rate rate, long burst) {
    Window window =
        calendar.isPresent()
            ? calendar.get()
            : new RollingWindow(DurationStrings.parse(rate.getPeriod()));
    return new LimitDefinition(id, algorithm, rate.getRequests(), window, burst);
  }

  /**
   * Response fields name limits by their own name; where two policies on one route share a limit
   * name, both become {@code policy/limit} so a client can tell them apart.
   */
  private static List<CompiledLimit> withUniqueNames(List<CompiledLimit> limits) {
    Map<String, Long> counts = new HashMap<>();
    limits.forEach(l -> counts.merge(l.name(), 1L, Long::sum));
    return limits.stream()
        .map(
            l ->
                counts.get(l.name()) == 1
                    ? l
                    : new CompiledLimit(
                        l.policy(),
                        l.policy().substring(l.policy().indexOf('/') + 1) + "/" + l.name(),
                        l.definition(),
                        l.key(),
                        l.tierClaim(),
                        l.tiers(),
                        l.cost(),
                        l.enforcement(),
                        l.failureMode()))
        .toList();
  }
}
