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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Decides requests with the limiter script on one shared Lettuce connection: one {@code EVALSHA}
 * per cluster slot the request's limits live in (one in total on a standalone or sentinel Redis,
 * and on a cluster when all limits share the client's hash tag).
 *
 * <p>When the limits span slots, the slots run in parallel; if any slot rejects, the slots that
 * admitted get a refund call with the same nonce, so a rejected request consumes from none (the
 * refund is not atomic with the decision: another request may briefly see the consumption).
 *
 * <p>Every decision has a time budget. A decision that exceeds it, or any Redis failure, completes
 * the stage with {@link LimiterUnavailableException}; the caller applies its failure mode.
 */
public final class RedisRateLimiter implements RateLimiter {
  private static final Logger LOG = Logger.getLogger(RedisRateLimiter.class.getName());

  private final ScriptRunner runner;
  private final SlotGrouping grouping;
  private final Duration budget;
  private final Supplier<String> clockArgument;
  private final AutoCloseable connection;
  private final String noncePrefix = Long.toHexString(new SecureRandom().nextLong());
  private final AtomicLong sequence = new AtomicLong();

  RedisRateLimiter(
      ScriptRunner runner,
      SlotGrouping grouping,
      Duration budget,
      Supplier<String> clockArgument,
      AutoCloseable connection) {
    this.runner = runner;
    this.grouping = grouping;
    this.budget = budget;
    this.clockArgument = clockArgument;
    this.connection = connection;
  }

  @Override
  public CompletionStage<LimitDecision> decide(LimitRequest request) {
    String nonce = noncePrefix + "-" + Long.toHexString(sequence.incrementAndGet());
    List<SlotGroup> groups = grouping.groups(request.checks());
    if (groups.size() == 1) {
      // One slot (always on a single Redis): one call, nothing to refund, fewer stages.
      SlotGroup group = groups.getFirst();
      return withBudget(
          call(group, DecideCodec.CONSUME, request.cost(), nonce)
              .thenApply(reply -> LimitDecision.of(DecideCodec.outcomes(group.checks(), reply))));
    }
    List<CompletableFuture<List<LimitOutcome>>> calls = new ArrayList<>(groups.size());
    for (SlotGroup group : groups) {
      calls.add(
          call(group, DecideCodec.CONSUME, request.cost(), nonce)
              .thenApply(reply -> DecideCodec.outcomes(group.checks(), reply)));
    }
    return withBudget(
        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new))
            .handle((ignored, failure) -> combine(request, groups, calls, nonce, failure))
            .thenCompose(decision -> decision));
  }

  private CompletableFuture<LimitDecision> withBudget(CompletableFuture<LimitDecision> decision) {
    return decision
        .orTimeout(budget.toNanos(), TimeUnit.NANOSECONDS)
        .exceptionallyCompose(
            failure -> CompletableFuture.failedFuture(Failures.translate(failure)));
  }

  private CompletableFuture<List<Object>> call(
      SlotGroup group, String operation, long cost, String nonce) {
    String[] argv =
        DecideCodec.arguments(clockArgument.get(), operation, nonce, group.checks(), cost);
    try {
      return runner.run(group.keys(), argv);
    } catch (RuntimeException e) {
      // Lettuce may throw instead of failing the future (e.g. a closed connection).
      return CompletableFuture.failedFuture(e);
    }
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
        refunds.add(refund(groups.get(g), request.cost(), nonce, outcomes));
      }
    }
    return CompletableFuture.allOf(refunds.toArray(CompletableFuture[]::new))
        .handle(
            (ignored, refundFailure) -> {
              if (refundFailure != null) {
                LOG.log(Level.WARNING, "refund after a cross-slot rejection failed", refundFailure);
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
  private CompletableFuture<Void> refund(
      SlotGroup group, long cost, String nonce, LimitOutcome[] outcomes) {
    return call(group, DecideCodec.REFUND, cost, nonce)
        .thenAccept(
            reply -> {
              List<LimitOutcome> standing = DecideCodec.outcomes(group.checks(), reply);
              for (int i = 0; i < standing.size(); i++) {
                outcomes[group.indexes().get(i)] = standing.get(i);
              }
            });
  }

  @Override
  public void close() {
    try {
      connection.close();
    } catch (Exception e) {
      LOG.log(Level.WARNING, "closing the Redis connection failed", e);
    }
  }
}
