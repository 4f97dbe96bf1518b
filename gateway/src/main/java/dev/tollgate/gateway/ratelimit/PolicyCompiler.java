package dev.tollgate.gateway.ratelimit;

import dev.tollgate.api.common.DurationStrings;
import dev.tollgate.api.common.TargetRef;
import dev.tollgate.api.snapshot.ConfigSnapshot;
import dev.tollgate.api.snapshot.SnapshotPolicy;
import dev.tollgate.api.v1alpha1.Limit;
import dev.tollgate.api.v1alpha1.Rate;
import dev.tollgate.api.v1alpha1.RateLimitPolicySpec;
import dev.tollgate.api.v1alpha1.RateLimitPolicySpec.Enforcement;
import dev.tollgate.api.v1alpha1.RateLimitPolicySpec.FailureMode;
import dev.tollgate.api.v1alpha1.Tier;
import dev.tollgate.gateway.config.ConfigExtension;
import dev.tollgate.gateway.config.ConfigValidationException;
import dev.tollgate.gateway.route.RouteId;
import dev.tollgate.gateway.route.RouteTable;
import dev.tollgate.limiter.Algorithm;
import dev.tollgate.limiter.LimitDefinition;
import dev.tollgate.limiter.LimitId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Compiles the snapshot's RateLimitPolicies into an {@link EnforcementPlan}: each policy's limits
 * are attached to the routes its {@code targetRefs} name in the same namespace (the data plane has
 * already checked that those routes exist). A limit the engine cannot run (its numbers break an
 * engine bound) refuses the whole configuration with a message naming policy, field and value, so
 * the previous configuration keeps serving.
 */
public final class PolicyCompiler implements ConfigExtension<EnforcementPlan> {

  @Override
  public Class<EnforcementPlan> type() {
    return EnforcementPlan.class;
  }

  @Override
  public EnforcementPlan compile(ConfigSnapshot snapshot, RouteTable routes)
      throws ConfigValidationException {
    List<String> problems = new ArrayList<>();
    Map<RouteId, List<CompiledLimit>> byRoute = new LinkedHashMap<>();
    for (SnapshotPolicy policy : snapshot.policies()) {
      if (policy.spec() == null || policy.spec().getLimits() == null) {
        continue;
      }
      List<CompiledLimit> limits = compilePolicy(policy, problems);
      // a Set: a route named twice in targetRefs still gets each limit once
      Set<RouteId> targets = new LinkedHashSet<>();
      for (TargetRef ref : policy.spec().getTargetRefs()) {
        targets.add(new RouteId(policy.namespace(), ref.getName()));
      }
      for (RouteId route : targets) {
        byRoute.computeIfAbsent(route, r -> new ArrayList<>()).addAll(limits);
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigValidationException(problems);
    }
    Map<RouteId, List<CompiledLimit>> named = new HashMap<>();
    byRoute.forEach((route, limits) -> named.put(route, withUniqueNames(limits)));
    return new EnforcementPlan(named);
  }

  private static List<CompiledLimit> compilePolicy(SnapshotPolicy policy, List<String> problems) {
    RateLimitPolicySpec spec = policy.spec();
    Enforcement enforcement =
        spec.getEnforcement() == null ? Enforcement.ENFORCE : spec.getEnforcement();
    FailureMode failureMode =
        spec.getFailureMode() == null ? FailureMode.OPEN : spec.getFailureMode();
    String policyName = policy.namespace() + "/" + policy.name();
    List<CompiledLimit> compiled = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < spec.getLimits().size(); i++) {
      Limit limit = spec.getLimits().get(i);
      String at = "RateLimitPolicy " + policyName + ": spec.limits[" + i + "]";
      // two limits of one name would share their state and their response-field name
      if (limit.getName() != null && !names.add(limit.getName())) {
        problems.add(at + ".name: '" + limit.getName() + "' is already used by another limit");
        continue;
      }
      try {
        compiled.add(compileLimit(policy, policyName, limit, enforcement, failureMode));
      } catch (IllegalArgumentException e) {
        problems.add(at + ": " + e.getMessage());
      }
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
    Rate rate = require(limit.getRate(), "rate");
    LimitDefinition base =
        definition(
            id, algorithm, rate, limit.getBurst() == null ? rate.getRequests() : limit.getBurst());
    Map<String, Optional<LimitDefinition>> tiers = new HashMap<>();
    Optional<String> tierClaim = Optional.empty();
    if (limit.getTiers() != null) {
      tierClaim = Optional.of(require(limit.getTiers().getClaim(), "tiers.claim"));
      for (Map.Entry<String, Tier> entry :
          require(limit.getTiers().getValues(), "tiers.values").entrySet()) {
        tiers.put(entry.getKey(), tierDefinition(id, algorithm, base, entry.getValue()));
      }
    }
    List<KeyComponent> key =
        limit.getKey() == null ? List.of() : limit.getKey().stream().map(KeyComponent::of).toList();
    long cost = limit.getCost() == null ? 1 : limit.getCost();
    if (cost < 1 || cost > base.capacity()) {
      throw new IllegalArgumentException(
          "cost: " + cost + " must be between 1 and the limit's capacity " + base.capacity());
    }
    return new CompiledLimit(
        policyName, limit.getName(), base, key, tierClaim, tiers, cost, enforcement, failureMode);
  }

  /**
   * A tier's numbers: its rate (or the limit's), and its burst, else its rate's requests when it
   * sets a rate, else the limit's burst.
   */
  private static Optional<LimitDefinition> tierDefinition(
      LimitId id, Algorithm algorithm, LimitDefinition base, Tier tier) {
    if (Boolean.TRUE.equals(tier.getUnlimited())) {
      return Optional.empty();
    }
    if (tier.getRate() == null) {
      long burst = tier.getBurst() == null ? base.burst() : tier.getBurst();
      return Optional.of(new LimitDefinition(id, algorithm, base.requests(), base.period(), burst));
    }
    long burst = tier.getBurst() == null ? tier.getRate().getRequests() : tier.getBurst();
    return Optional.of(definition(id, algorithm, tier.getRate(), burst));
  }

  private static LimitDefinition definition(
      LimitId id, Algorithm algorithm, Rate rate, long burst) {
    long requests = require(rate.getRequests(), "rate.requests");
    return new LimitDefinition(
        id,
        algorithm,
        requests,
        DurationStrings.parse(require(rate.getPeriod(), "rate.period")),
        burst);
  }

  private static <T> T require(T value, String field) {
    if (value == null) {
      throw new IllegalArgumentException(field + ": required");
    }
    return value;
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
