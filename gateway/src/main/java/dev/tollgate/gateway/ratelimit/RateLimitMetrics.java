package dev.tollgate.gateway.ratelimit;

import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Tag;
import io.helidon.metrics.api.Timer;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.stream.LongStream;

/**
 * {@code tollgate_ratelimit_decisions_total{policy,limit,decision}} and {@code
 * tollgate_ratelimit_redis_duration_seconds}, in Helidon's Micrometer-backed registry like the
 * gateway's other meters. Counters are cached per label set; a registry lookup per request would
 * cost more than the increment. Those of a limit the applied configuration no longer has are
 * removed ({@link #retainOnly}).
 */
public final class RateLimitMetrics {
  /** The {@code decision} label. */
  public enum Decision {
    ALLOWED("allowed"),
    LIMITED("limited"),
    /** A shadow-mode limit that would have refused the request. */
    SHADOW_LIMITED("shadow_limited"),
    /** Redis failed or exceeded its time budget; the failure mode decided instead. */
    ERROR("error");

    private final String label;

    Decision(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  // Redis decisions take well under a millisecond on a LAN and the default budget is 50ms, so
  // the buckets run from 250us to 250ms.
  private static final Duration[] BUCKETS =
      LongStream.of(250, 500, 1_000, 2_000, 5_000, 10_000, 25_000, 50_000, 100_000, 250_000)
          .mapToObj(micros -> Duration.ofNanos(micros * 1_000))
          .toArray(Duration[]::new);

  private static final String DECISIONS = "tollgate.ratelimit.decisions";

  private final MeterRegistry registry;
  private final Map<String, Map<String, AtomicReferenceArray<Counter>>> decisions =
      new ConcurrentHashMap<>();
  private final Timer redisDuration;

  public RateLimitMetrics() {
    this(Metrics.globalRegistry());
  }

  RateLimitMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.redisDuration =
        registry.getOrCreate(
            Timer.builder("tollgate.ratelimit.redis.duration")
                .description("Time one rate-limit decision took in Redis, failures included")
                .buckets(BUCKETS));
  }

  public void decision(CompiledLimit limit, Decision decision) {
    // nested lookups on the limit's own strings (their hashes are cached): no key built per call
    String policy = limit.policy();
    String name = limit.definition().id().limit();
    AtomicReferenceArray<Counter> byDecision =
        decisions
            .computeIfAbsent(policy, p -> new ConcurrentHashMap<>())
            .computeIfAbsent(name, n -> new AtomicReferenceArray<>(Decision.values().length));
    Counter counter = byDecision.get(decision.ordinal());
    if (counter == null) {
      counter = register(policy, name, decision);
      byDecision.set(decision.ordinal(), counter);
    }
    counter.increment();
  }

  /** Registering twice is harmless: the registry answers the same counter for the same labels. */
  private Counter register(String policy, String name, Decision decision) {
    return registry.getOrCreate(
        Counter.builder(DECISIONS)
            .description("Rate-limit decisions by policy, limit and outcome")
            .tags(
                List.of(
                    Tag.create("policy", policy),
                    Tag.create("limit", name),
                    Tag.create("decision", decision.label()))));
  }

  /**
   * Removes the decision counters of every limit that {@code plan} does not have: those of a
   * deleted policy, of a limit removed from its policy, of a policy that reaches no route any more.
   * Call once the configuration of {@code plan} was applied; the counters of the limits it has are
   * kept, and keep counting. Found by their tags rather than from the cache, so that a decision
   * still in flight on the previous configuration leaves nothing behind for longer than the next.
   */
  void retainOnly(EnforcementPlan plan) {
    Map<String, Set<String>> kept = new HashMap<>();
    for (List<CompiledLimit> limits : plan.limitsByRoute().values()) {
      for (CompiledLimit limit : limits) {
        kept.computeIfAbsent(limit.policy(), p -> new HashSet<>())
            .add(limit.definition().id().limit());
      }
    }
    decisions.forEach(
        (policy, byName) -> {
          Set<String> names = kept.get(policy);
          if (names == null) {
            decisions.remove(policy, byName);
          } else {
            byName.keySet().retainAll(names);
          }
        });
    List.copyOf(
            registry.meters(
                meter -> {
                  if (!meter.id().name().equals(DECISIONS)) {
                    return false;
                  }
                  Map<String, String> tags = meter.id().tagsMap();
                  return !kept.getOrDefault(tags.get("policy"), Set.of())
                      .contains(tags.get("limit"));
                }))
        .forEach(registry::remove);
  }

  public void redisDuration(long nanos) {
    redisDuration.record(nanos, TimeUnit.NANOSECONDS);
  }
}
