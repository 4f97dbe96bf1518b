package dev.tollgate.limiter.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.limiter.LimitCheck;
import dev.tollgate.limiter.LimitDefinition;
import dev.tollgate.limiter.LimitOutcome;
import dev.tollgate.limiter.LimitRequest;
import dev.tollgate.limiter.RateLimiter;
import dev.tollgate.limiter.TestClock;
import dev.tollgate.testkit.redis.RedisServer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One client's limit on one engine, on a test clock, checked request by request with every figure
 * the engine answers. Each instance is a new client, so tests sharing a Redis do not meet.
 */
final class ClientQuota implements AutoCloseable {
  private static final AtomicInteger CLIENTS = new AtomicInteger();

  private final RateLimiter limiter;
  private final TestClock clock;
  private final LimitDefinition limit;
  private final String client;

  ClientQuota(RateLimiter limiter, TestClock clock, LimitDefinition limit) {
    this(limiter, clock, limit, "sub=client-" + CLIENTS.incrementAndGet());
  }

  private ClientQuota(RateLimiter limiter, TestClock clock, LimitDefinition limit, String client) {
    this.limiter = limiter;
    this.clock = clock;
    this.limit = limit;
    this.client = client;
  }

  /** The same client and engine under edited numbers (a config reload). */
  ClientQuota withLimit(LimitDefinition edited) {
    return new ClientQuota(limiter, clock, edited, client);
  }

  TestClock clock() {
    return clock;
  }

  void advance(long micros) {
    clock.advanceMicros(micros);
  }

  void advance(Duration duration) {
    clock.advance(duration);
  }

  /** Decides a request of {@code cost} and checks every figure (times in microseconds). */
  void expect(long cost, boolean allowed, long remaining, long resetMicros, long retryMicros) {
    expect(cost, allowed, remaining, micros(resetMicros), micros(retryMicros));
  }

  void expect(long cost, boolean allowed, long remaining, Duration reset, Duration retry) {
    LimitOutcome outcome = decide(cost);
    assertThat(outcome.allowed()).as("allowed (cost %d)", cost).isEqualTo(allowed);
    assertThat(outcome.remaining()).as("remaining (cost %d)", cost).isEqualTo(remaining);
    assertThat(outcome.reset()).as("reset (cost %d)", cost).isEqualTo(reset);
    assertThat(outcome.retryAfter()).as("retry (cost %d)", cost).isEqualTo(retry);
  }

  LimitOutcome decide(long cost) {
    return limiter
        .decide(LimitRequest.of(new LimitCheck(limit, client, cost)))
        .toCompletableFuture()
        .join()
        .outcomes()
        .getFirst();
  }

  /** When this client's key expires in Redis, in microseconds since the epoch (PEXPIRETIME). */
  long redisExpiryMicros(RedisServer redis) {
    String key = new RedisKeys("test").stateKey(new LimitCheck(limit, client));
    return Long.parseLong(redis.cli("PEXPIRETIME", key).strip()) * 1_000;
  }

  private static Duration micros(long micros) {
    return Duration.ofNanos(micros * 1_000);
  }

  @Override
  public void close() {
    limiter.close();
  }
}
