package dev.tollgate.limiter.redis;

import dev.tollgate.limiter.LimitDecision;
import dev.tollgate.limiter.LimitOutcome;
import dev.tollgate.limiter.LimitRequest;
import dev.tollgate.limiter.LimiterUnavailableException;
import dev.tollgate.limiter.RateLimiter;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides requests with the limiter script ({@link ScriptTransport}: the engine's own sockets on a
 * standalone Redis, one shared Lettuce connection otherwise): one script call per cluster slot the
 * request's limits live in (one in total on a standalone or sentinel Redis, and on a cluster when
 * all limits share the client's hash tag). Calls that wait at the same time travel together in one
 * {@code EVALSHA} ({@link ScriptCalls}); each is still decided atomically.
 *
 * <p>When the limits span slots, the slots run in parallel; if any slot rejects, the slots that
 * admitted get a refund call with the same nonce, so a rejected request consumes from none (the
 * refund is not atomic with the decision: another request may briefly see the consumption).
 *
 * <p>Every decision has a time budget. A decision that exceeds it, or any Redis failure, completes
 * the stage with {@link LimiterUnavailableException}; the caller applies its failure mode.
 */
public final class RedisRateLimiter implements RateLimiter {
  private static final Logger LOG = LoggerFactory.getLogger(RedisRateLimiter.class);

  private final ScriptCalls calls;
  private final SlotGrouping grouping;
  private final DecisionDeadlines deadlines;
  private final AutoCloseable connection;
  private final String noncePrefix = Long.toHexString(new SecureRandom().nextLong());
  private final AtomicLong sequence = new AtomicLong();

  RedisRateLimiter(
      ScriptCalls calls, SlotGrouping grouping, Duration budget, AutoCloseable connection) {
    this.calls = calls;
    this.grouping = grouping;
    this.deadlines = new DecisionDeadlines(budget);
    this.connection = connection;
  }

  @Override
  public CompletionStage<LimitDecision> decide(LimitRequest request) {
    String nonce = noncePrefix + "-" + Long.toHexString(sequence.incrementAndGet());
    List<SlotGroup> groups = grouping.groups(request.checks());
    if (groups.size() == 1) {
      // One slot (always on a single Redis): one call, nothing to refund, fewer stages.
      SlotGroup group = groups.getFirst();
      return withBudget(call(group, DecideCodec.CONSUME, nonce).thenApply(LimitDecision::of));
    }
    List<CompletableFuture<List<LimitOutcome>>> slotCalls = new ArrayList<>(groups.size());
    for (SlotGroup group : groups) {
      slotCalls.add(call(group, DecideCodec.CONSUME, nonce));
    }
    return withBudget(
        CompletableFuture.allOf(slotCalls.toArray(CompletableFuture[]::new))
            .handle((ignored, failure) -> combine(request, groups, slotCalls, nonce, failure))
            .thenCompose(decision -> decision));
  }

  private CompletableFuture<LimitDecision> withBudget(CompletableFuture<LimitDecision> decision) {
    return deadlines
        .bound(decision)
        .exceptionallyCompose(
            failure -> CompletableFuture.failedFuture(Failures.translate(failure)));
  }

  private CompletableFuture<List<LimitOutcome>> call(
      SlotGroup group, String operation, String nonce) {
    return calls.call(new ScriptCall(group, operation, nonce));
  }

  /**
   * The decision once every slot answered. If any slot rejected or failed, the slots that admitted
   * are refunded first, so the caller's next request already sees the refund.
   */
  private CompletableFuture<LimitDecision> combine(
      LimitRequest request,
      List<SlotGroup> groups,
      List<CompletableFuture<List<LimitOutcome>>> calls,
      String nonce,
      Throwable failure) {
    LimitOutcome[] outcomes = new LimitOutcome[request.checks().size()];
    boolean admitted = failure == null;
    for (int g = 0; g < groups.size() && failure == null; g++) {
      List<LimitOutcome> groupOutcomes = calls.get(g).join();
      admitted &= groupOutcomes.stream().allMatch(LimitOutcome::allowed);
      for (int i = 0; i < groupOutcomes.size(); i++) {
        outcomes[groups.get(g).indexes().get(i)] = groupOutcomes.get(i);
      }
    }
    if (admitted) {
      return CompletableFuture.completedFuture(LimitDecision.of(Arrays.asList(outcomes)));
    }
    List<CompletableFuture<?>> refunds = new ArrayList<>();
    for (int g = 0; g < groups.size(); g++) {
      if (consumed(calls.get(g))) {
        refunds.add(refund(groups.get(g), nonce, outcomes));
      }
    }
    return CompletableFuture.allOf(refunds.toArray(CompletableFuture[]::new))
        .handle(
            (ignored, refundFailure) -> {
              if (refundFailure != null) {
                LOG.warn("refund after a cross-slot rejection failed", refundFailure);
              }
              if (failure != null) {
                throw new CompletionException(ScriptRunner.unwrap(failure));
              }
              return LimitDecision.of(Arrays.asList(outcomes));
            });
  }

  private static boolean consumed(CompletableFuture<List<LimitOutcome>> call) {
    return call.isDone()
        && !call.isCompletedExceptionally()
        && call.join().stream().allMatch(LimitOutcome::allowed);
  }

  /**
   * Gives back what an admitting slot took; its limits then report the figures the refund left (as
   * if the request had never been charged), or, if the refund failed, what the slot said.
   */
  private CompletableFuture<Void> refund(SlotGroup group, String nonce, LimitOutcome[] outcomes) {
    return call(group, DecideCodec.REFUND, nonce)
        .thenAccept(
            standing -> {
              for (int i = 0; i < standing.size(); i++) {
                outcomes[group.indexes().get(i)] = standing.get(i);
              }
            });
  }

  @Override
  public void close() {
    deadlines.close();
    try {
      connection.close();
    } catch (Exception e) {
      LOG.warn("closing the Redis connection failed", e);
    }
  }
}
