package dev.tollgate.rules;

import dev.tollgate.api.common.DurationStrings;
import dev.tollgate.api.common.TargetRef;
import dev.tollgate.api.snapshot.SnapshotPolicy;
import dev.tollgate.api.v1alpha1.KeyPart;
import dev.tollgate.api.v1alpha1.Limit;
import dev.tollgate.api.v1alpha1.LimitWindow;
import dev.tollgate.api.v1alpha1.Rate;
import dev.tollgate.api.v1alpha1.RateLimitPolicySpec;
import dev.tollgate.api.v1alpha1.Tier;
import dev.tollgate.api.v1alpha1.Tiers;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The standard rules for a RateLimitPolicy: its shape where no API server checked it, and the
 * bounds of the limiter engine ({@link LimitBounds}) for every limit and tier, which the CRD schema
 * cannot fully express (a daily quota of 200,000 passes the schema but not the engine).
 *
 * <p>A target Route that does not exist is not a problem: the policy attaches to nothing until the
 * Route appears (GitOps tools apply in their own order).
 */
final class PolicyRules {
  private PolicyRules() {}

  static void check(SnapshotPolicy policy, Problems problems) {
    RateLimitPolicySpec spec = policy.spec();
    targets(spec.getTargetRefs(), problems.at("spec.targetRefs"));
    limits(spec.getLimits(), problems.at("spec.limits"));
  }

  private static void targets(List<TargetRef> refs, Problems at) {
    if (refs == null || refs.isEmpty()) {
      at.add("", "at least one target is required");
      return;
    }
    for (int i = 0; i < refs.size(); i++) {
      TargetRef ref = refs.get(i);
      if (ref == null || ref.getKind() == null) {
        at.add("[" + i + "].kind", "required (Route, HTTPRoute or Gateway)");
      }
      if (ref == null || ref.getName() == null || ref.getName().isEmpty()) {
        at.add("[" + i + "].name", "required");
      }
      if (ref != null && ref.getKind() != null) {
        String group =
            ref.getKind() == TargetRef.Kind.ROUTE
                ? TargetRef.TOLLGATE_GROUP
                : TargetRef.GATEWAY_API_GROUP;
        if (ref.getGroup() != null && !ref.getGroup().equals(group)) {
          at.add("[" + i + "].group", "must be " + group + " for kind " + ref.getKind());
        }
        if (ref.getSectionName() != null && ref.getKind() != TargetRef.Kind.HTTP_ROUTE) {
          at.add("[" + i + "].sectionName", "only for kind HTTPRoute (a rule name)");
        }
      }
    }
  }

  private static void limits(List<Limit> limits, Problems at) {
    if (limits == null || limits.isEmpty()) {
      at.add("", "at least one limit is required");
      return;
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < limits.size(); i++) {
      Problems limitAt = at.at("[" + i + "]");
      Limit limit = limits.get(i);
      if (limit == null) {
        limitAt.add("", "must not be null");
        continue;
      }
      if (limit.getName() == null || limit.getName().isEmpty()) {
        limitAt.add("name", "required");
      } else if (!names.add(limit.getName())) {
        // two limits of one name would share their state and their response-field name
        limitAt.add("name", "'" + limit.getName() + "' is already used by another limit");
      }
      limit(limit, limitAt);
    }
  }

  private static void limit(Limit limit, Problems at) {
    Limit.Algorithm algorithm =
        limit.getAlgorithm() == null ? Limit.Algorithm.TOKEN_BUCKET : limit.getAlgorithm();
    LimitBounds.Shape shape = LimitBounds.Shape.of(algorithm);
    keyParts(limit.getKey(), at.at("key"));
    LimitWindow window = limit.getWindow();
    if (window != null) {
      LimitBounds.checkCalendar(algorithm, window.getCalendar(), window.getTimeZone(), at);
    }
    Optional<Numbers> base = numbers(shape, window != null, limit.getRate(), limit.getBurst(), at);
    if (base.isEmpty()) {
      return;
    }
    long cost = limit.getCost() == null ? 1 : limit.getCost();
    long capacity = LimitBounds.capacity(shape, base.get().requests(), base.get().burst());
    if (cost < 1 || cost > capacity) {
      at.add(
          "cost",
          "must be between 1 and the limit's capacity "
              + capacity
              + " (burst, or rate.requests when burst is unset), was "
              + cost
              + ": such a request could never be allowed");
    }
    tiers(shape, window != null, cost, limit.getTiers(), at.at("tiers"));
  }

  /**
   * A rate and its burst, checked against the engine's bounds; empty when they cannot run. Under a
   * calendar window (the limit's {@code window}) the rate has no period of its own.
   */
  private static Optional<Numbers> numbers(
      LimitBounds.Shape shape, boolean calendar, Rate rate, Integer burst, Problems at) {
    if (rate == null) {
      at.add("rate", "required");
      return Optional.empty();
    }
    if (rate.getRequests() == null) {
      at.add("rate.requests", "required");
    }
    Duration period = null;
    if (calendar && rate.getPeriod() != null) {
      at.add("rate.period", "must not be set: the limit's calendar window replaces it");
    } else if (!calendar && rate.getPeriod() == null) {
      at.add("rate.period", "required (or a calendar window on the limit)");
    } else if (!calendar) {
      try {
        period = DurationStrings.parse(rate.getPeriod());
      } catch (IllegalArgumentException e) {
        at.add("rate.period", e.getMessage());
      }
    }
    if (rate.getRequests() == null || (!calendar && period == null)) {
      return Optional.empty();
    }
    long requests = rate.getRequests();
    long effectiveBurst = burst == null ? requests : burst;
    Problems own = Problems.collect();
    if (calendar) {
      LimitBounds.checkCounts(shape, requests, effectiveBurst, own);
    } else {
      LimitBounds.check(shape, requests, period, effectiveBurst, own);
    }
    own.list().forEach(p -> at.add(p.field(), p.reason(), p.message()));
    return own.isEmpty() ? Optional.of(new Numbers(requests, effectiveBurst)) : Optional.empty();
  }

  private record Numbers(long requests, long burst) {}

  /**
   * @param cost the limit's cost, which its tiers charge too: a tier whose capacity is below it
   *     could never admit a request (each was refused, with a Retry-After of one period)
   */
  private static void tiers(
      LimitBounds.Shape shape, boolean calendar, long cost, Tiers tiers, Problems at) {
    if (tiers == null) {
      return;
    }
    if (tiers.getClaim() == null || tiers.getClaim().isEmpty()) {
      at.add("claim", "required");
    }
    if (tiers.getValues() == null || tiers.getValues().isEmpty()) {
      at.add("values", "at least one tier is required");
      return;
    }
    for (Map.Entry<String, Tier> entry : tiers.getValues().entrySet()) {
      Problems tierAt = at.at("values[" + entry.getKey() + "]");
      Tier tier = entry.getValue();
      boolean unlimited = tier != null && Boolean.TRUE.equals(tier.getUnlimited());
      boolean valid =
          tier != null
              && (unlimited
                  ? tier.getRate() == null && tier.getBurst() == null
                  : tier.getRate() != null);
      if (!valid) {
        tierAt.add("", "a tier sets either unlimited: true or a rate (with an optional burst)");
      } else if (!unlimited) {
        numbers(shape, calendar, tier.getRate(), tier.getBurst(), tierAt)
            .ifPresent(numbers -> tierFitsCost(shape, numbers, cost, tierAt));
      }
    }
  }

  private static void tierFitsCost(LimitBounds.Shape shape, Numbers tier, long cost, Problems at) {
    long capacity = LimitBounds.capacity(shape, tier.requests(), tier.burst());
    if (cost > capacity) {
      at.add(
          "",
          "the tier's capacity "
              + capacity
              + " (burst, or rate.requests when burst is unset) is below the limit's cost "
              + cost
              + ": a request of this tier could never be allowed");
    }
  }

  private static void keyParts(List<KeyPart> parts, Problems at) {
    if (parts == null) {
      return;
    }
    for (int i = 0; i < parts.size(); i++) {
      KeyPart part = parts.get(i);
      if (part == null) {
        at.add("[" + i + "]", "must not be null");
        continue;
      }
      List<Boolean> flags =
          Stream.of(
                  part.getClientIP(),
                  part.getPath(),
                  part.getMethod(),
                  part.getRoute(),
                  part.getClientCertificate())
              .filter(java.util.Objects::nonNull)
              .toList();
      long set =
          flags.size() + (part.getClaim() != null ? 1 : 0) + (part.getHeader() != null ? 1 : 0);
      if (set != 1) {
        at.add(
            "[" + i + "]",
            "a key part sets exactly one of claim, header, clientIP, path, method, route or"
                + " clientCertificate");
      } else if (flags.contains(Boolean.FALSE)) {
        at.add(
            "[" + i + "]",
            "clientIP, path, method, route and clientCertificate can only be set to true");
      }
    }
  }
}
