package dev.tollgate.gateway.ratelimit;

import dev.tollgate.api.v1alpha1.RateLimitPolicySpec.Enforcement;
import dev.tollgate.api.v1alpha1.RateLimitPolicySpec.FailureMode;
import dev.tollgate.gateway.auth.ClientIdentity;
import dev.tollgate.limiter.LimitCheck;
import dev.tollgate.limiter.LimitDefinition;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One limit of one policy, ready to apply to requests.
 *
 * @param policy the policy's {@code namespace/name}
 * @param name the name shown in response fields: the limit's name, or {@code policy/limit} when
 *     another policy on the same route has a limit of the same name
 * @param definition the limit's own numbers (the default tier)
 * @param key the key parts
 * @param tierClaim the claim that selects a tier, if the limit has tiers
 * @param tiers tier value → its numbers; an empty optional is an {@code unlimited} tier
 * @param cost units each request consumes from this limit (its checks carry it)
 */
public record CompiledLimit(
    String policy,
    String name,
    LimitDefinition definition,
    List<KeyComponent> key,
    Optional<String> tierClaim,
    Map<String, Optional<LimitDefinition>> tiers,
    long cost,
    Enforcement enforcement,
    FailureMode failureMode) {

  public CompiledLimit {
    key = List.copyOf(key);
    tiers = Map.copyOf(tiers);
  }

  /** The tier the identity's claim selects; empty for the default (no claim, unknown value). */
  public Optional<String> tierOf(ClientIdentity identity) {
    return tierClaim.flatMap(identity::claim).filter(tiers::containsKey);
  }

  /** The numbers for a tier; empty when the tier is unlimited. */
  public Optional<LimitDefinition> definitionFor(Optional<String> tier) {
    return tier.map(tiers::get).orElse(Optional.of(definition));
  }

  /**
   * The check this limit makes for a request, or empty when the client's tier is unlimited. Throws
   * {@link RepeatedKeyHeaderException} for an enforced limit keyed by a header sent twice. A tier
   * gets its own bucket (the key value gains {@code |tier:<claim>=<value>}), so a client whose plan
   * changes does not inherit a bucket sized for another plan.
   */
  public Optional<LimitCheck> checkFor(KeyInputs request) {
    Optional<String> tier = tierOf(request.identity());
    Optional<LimitDefinition> numbers = definitionFor(tier);
    if (numbers.isEmpty()) {
      return Optional.empty();
    }
    String keyValue = ClientKeyResolver.resolve(key, request, enforcement);
    if (tier.isPresent()) {
      String tierPart =
          "tier:"
              + ClientKeyResolver.escape(tierClaim.orElseThrow())
              + "="
              + ClientKeyResolver.escape(tier.get());
      keyValue = keyValue.isEmpty() ? tierPart : keyValue + "|" + tierPart;
    }
    return Optional.of(new LimitCheck(numbers.get(), keyValue, cost));
  }
}
