package dev.tollgate.limiter.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.limiter.Algorithm;
import dev.tollgate.limiter.LimitCheck;
import dev.tollgate.limiter.LimitDecision;
import dev.tollgate.limiter.LimitDefinition;
import dev.tollgate.limiter.LimitId;
import dev.tollgate.limiter.LimitRequest;
import dev.tollgate.limiter.RateLimiter;
import dev.tollgate.testkit.redis.RedisClusterExtension;
import dev.tollgate.testkit.redis.RedisServer;
import io.lettuce.core.cluster.SlotHash;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The engine against a real three-master Redis Cluster. */
class RedisClusterRateLimiterIT {
  @RegisterExtension static final RedisClusterExtension CLUSTER = new RedisClusterExtension();

  private static final RedisKeys KEYS = new RedisKeys("it");

  private static RateLimiter engine() {
    return RedisLimiterFactory.create(
        CLUSTER.cluster().uri(),
        RedisLimiterOptions.defaults("it").withDecisionBudget(Duration.ofSeconds(5)));
  }

  private static LimitCheck check(
      String name, Algorithm algorithm, long requests, String keyValue) {
    return new LimitCheck(
        LimitDefinition.of(
            new LimitId("shop", "orders", name), algorithm, requests, Duration.ofMinutes(1)),
        keyValue);
  }

  private static LimitDecision decide(RateLimiter limiter, LimitCheck... checks) {
    return limiter.decide(LimitRequest.of(checks)).toCompletableFuture().join();
  }

  @Test
  void limitsOfOneClientShareASlotAndAreDecidedTogether() {
    LimitCheck perUser = check("a", Algorithm.TOKEN_BUCKET, 10, "sub=alice");
    LimitCheck perUserBurst = check("b", Algorithm.SLIDING_LOG, 3, "sub=alice");
    assertThat(SlotHash.getSlot(KEYS.stateKey(perUser)))
        .isEqualTo(SlotHash.getSlot(KEYS.stateKey(perUserBurst)));
    try (RateLimiter limiter = engine()) {
      for (int i = 0; i < 3; i++) {
        assertThat(decide(limiter, perUser, perUserBurst).allowed()).isTrue();
      }
      LimitDecision rejected = decide(limiter, perUser, perUserBurst);

      assertThat(rejected.allowed()).isFalse();
      assertThat(rejected.outcomes().get(0).remaining()).isEqualTo(7);
      assertThat(decide(limiter, perUser).outcomes().get(0).remaining()).isEqualTo(6);
    }
  }

  /** A per-user limit and a per-IP limit live in different slots: a rejection refunds the other. */
  @ParameterizedTest
  @EnumSource(Algorithm.class)
  void refundsEarlierSlotsWhenALaterSlotRejects(Algorithm algorithm) {
    LimitCheck perUser = check("a", algorithm, 10, "sub=alice");
    LimitCheck perAddress = check("b", Algorithm.FIXED_WINDOW, 3, "ip=192.0.2.7");
    assertThat(SlotHash.getSlot(KEYS.stateKey(perUser)))
        .isNotEqualTo(SlotHash.getSlot(KEYS.stateKey(perAddress)));
    // Without the over-limit cache, so that every rejection reaches Redis and is refunded.
    try (RateLimiter limiter =
        RedisLimiterFactory.create(
            CLUSTER.cluster().uri(),
            RedisLimiterOptions.defaults("it")
                .withDecisionBudget(Duration.ofSeconds(5))
                .withOverLimitCacheBytes(0))) {
      for (int i = 0; i < 3; i++) {
        assertThat(decide(limiter, perUser, perAddress).allowed()).isTrue();
      }
      for (int i = 0; i < 5; i++) {
        LimitDecision rejected = decide(limiter, perUser, perAddress);
        assertThat(rejected.allowed()).isFalse();
        assertThat(rejected.outcomes().get(0).remaining()).isEqualTo(7);
      }

      assertThat(decide(limiter, perUser).outcomes().get(0).remaining()).isEqualTo(6);
    }
    assertEveryKeyHasATtl();
  }

  private static void assertEveryKeyHasATtl() {
    for (RedisServer node : CLUSTER.cluster().nodes()) {
      for (String key : node.cli("KEYS", "tollgate:*").lines().filter(k -> !k.isBlank()).toList()) {
        assertThat(Long.parseLong(node.cli("PTTL", key))).as("TTL of %s", key).isPositive();
      }
    }
  }

  @Test
  void admitsExactlyTheLimitUnderConcurrencyAcrossTwoEngines() {
    LimitCheck perUser = check("a", Algorithm.GCRA, 50, "sub=bob");
    LimitCheck perAddress = check("b", Algorithm.SLIDING_LOG, 1_000, "ip=192.0.2.8");
    try (RateLimiter first = engine();
        RateLimiter second = engine()) {
      List<CompletableFuture<LimitDecision>> decisions = new ArrayList<>();
      for (int i = 0; i < 400; i++) {
        RateLimiter limiter = i % 2 == 0 ? first : second;
        decisions.add(limiter.decide(LimitRequest.of(perUser, perAddress)).toCompletableFuture());
      }
      long admitted =
          decisions.stream().map(CompletableFuture::join).filter(LimitDecision::allowed).count();

      assertThat(admitted).isEqualTo(50);
      // The refunds left exactly the admitted requests in the per-address log.
      assertThat(decide(first, perAddress).outcomes().get(0).remaining()).isEqualTo(1_000 - 51);
    }
    assertEveryKeyHasATtl();
  }

  @Test
  void recoversFromScriptFlushOnEveryNode() {
    LimitCheck perUser = check("a", Algorithm.TOKEN_BUCKET, 10, "sub=carol");
    LimitCheck perAddress = check("b", Algorithm.FIXED_WINDOW, 10, "ip=192.0.2.9");
    try (RateLimiter limiter = engine()) {
      assertThat(decide(limiter, perUser, perAddress).allowed()).isTrue();
      CLUSTER.cluster().nodes().forEach(node -> node.cli("SCRIPT", "FLUSH"));

      assertThat(decide(limiter, perUser, perAddress).allowed()).isTrue();
      assertThat(
              CLUSTER.cluster().nodes().stream()
                  .map((RedisServer node) -> node.cli("DBSIZE"))
                  .mapToLong(Long::parseLong)
                  .sum())
          .isEqualTo(2);
    }
  }
}
