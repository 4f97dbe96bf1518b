package dev.tollgate.operator.reconciler.ratelimitpolicy;

import dev.tollgate.api.common.ConditionReason;
import dev.tollgate.api.common.ConditionType;
import dev.tollgate.api.common.TargetRef;
import dev.tollgate.api.v1alpha1.RateLimitPolicySpec;
import dev.tollgate.operator.status.DesiredCondition;
import dev.tollgate.rules.Problem;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The policy's {@code Accepted} decision from plain data: the rulebook's verdict, its spec and
 * which of its targets exist. A policy with problems is left out of the snapshot (its status names
 * them). A policy whose target is missing stays in the snapshot (it attaches to nothing) so it
 * takes effect as soon as the target appears. An accepted policy's message says what it is enforced
 * on.
 */
public final class PolicyAcceptance {
  private PolicyAcceptance() {}

  /**
   * @param problems the rulebook's verdict on the policy
   * @param exists whether a target exists (a Route, an HTTPRoute with the named rule, a Gateway)
   */
  public static DesiredCondition accepted(
      String namespace,
      RateLimitPolicySpec spec,
      List<Problem> problems,
      Predicate<TargetRef> exists) {
    if (!problems.isEmpty()) {
      return DesiredCondition.isFalse(
          ConditionType.ACCEPTED, problems.get(0).reason(), Problem.summary(problems));
    }
    List<TargetRef> targets = Optional.ofNullable(spec.getTargetRefs()).orElse(List.of());
    List<TargetRef> missing = targets.stream().filter(t -> !exists.test(t)).toList();
    if (!missing.isEmpty()) {
      return DesiredCondition.isFalse(
          ConditionType.ACCEPTED,
          ConditionReason.TARGET_NOT_FOUND,
          describe(missing)
              + " not found in namespace "
              + namespace
              + "; the policy applies once it exists");
    }
    return DesiredCondition.isTrue(
        ConditionType.ACCEPTED, ConditionReason.ACCEPTED, "enforced on " + describe(targets));
  }

  /** {@code Route carts, orders, HTTPRoute web#checkout, Gateway public}: by kind, sorted. */
  static String describe(List<TargetRef> targets) {
    Map<TargetRef.Kind, SortedSet<String>> byKind = new EnumMap<>(TargetRef.Kind.class);
    for (TargetRef target : targets) {
      String name =
          target.getName() + (target.getSectionName() == null ? "" : "#" + target.getSectionName());
      byKind
          .computeIfAbsent(
              target.getKind() == null ? TargetRef.Kind.ROUTE : target.getKind(),
              k -> new TreeSet<>())
          .add(name);
    }
    List<String> parts = new ArrayList<>();
    for (TargetRef.Kind kind :
        List.of(TargetRef.Kind.ROUTE, TargetRef.Kind.HTTP_ROUTE, TargetRef.Kind.GATEWAY)) {
      if (byKind.containsKey(kind)) {
        parts.add(KIND_NAMES.get(kind) + " " + String.join(", ", byKind.get(kind)));
      }
    }
    return String.join(", ", parts);
  }

  private static final Map<TargetRef.Kind, String> KIND_NAMES =
      Map.of(
          TargetRef.Kind.ROUTE, "Route",
          TargetRef.Kind.HTTP_ROUTE, "HTTPRoute",
          TargetRef.Kind.GATEWAY, "Gateway");

  /** The names of the Routes (kind Route) the policy targets. */
  public static List<String> targetNames(RateLimitPolicySpec spec) {
    return Optional.ofNullable(spec.getTargetRefs()).orElse(List.of()).stream()
        .filter(t -> t.getKind() == null || t.getKind() == TargetRef.Kind.ROUTE)
        .map(TargetRef::getName)
        .distinct()
        .sorted()
        .toList();
  }
}
