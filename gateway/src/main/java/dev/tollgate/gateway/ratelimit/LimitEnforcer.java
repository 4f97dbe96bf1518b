package dev.tollgate.gateway.ratelimit;

import dev.tollgate.api.v1alpha1.RateLimitPolicySpec.Enforcement;
import dev.tollgate.api.v1alpha1.RateLimitPolicySpec.FailureMode;
import dev.tollgate.gateway.ratelimit.EnforcementResult.Verdict;
import dev.tollgate.gateway.ratelimit.RateLimitMetrics.Decision;
import dev.tollgate.limiter.LimitCheck;
import dev.tollgate.limiter.LimitDecision;
import dev.tollgate.limiter.LimitDefinition;
import dev.tollgate.limiter.LimitOutcome;
import dev.tollgate.limiter.LimitRequest;
import dev.tollgate.limiter.RateLimiter;
import dev.tollgate.limiter.RollingWindow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides one request against all limits of all policies on its route.
 *
 * <ol>
 *   <li>The enforced limits go to the engine as one request: atomic, so a request refused by any
 *       limit consumes from none.
 *   <li>Only if that admits, the shadow limits are decided the same way, each policy's as one
 *       request of its own: a shadow limit must never make the engine refuse (and so not charge)
 *       the enforced ones or another policy's, and a request that was refused for real should not
 *       charge the shadow limits either.
 *   <li>When the engine fails or exceeds its budget, each enforced limit follows its policy's
 *       failure mode: {@code closed} answers 503, {@code local} decides in the in-process twin with
 *       this pod's share, {@code open} admits. Shadow limits then report an error without asking
 *       the engine again, so a hung Redis costs a request one budget, not two.
 * </ol>
 *
 * <p>Each check carries its limit's own {@code cost}, so limits of different costs on one route are
 * still one engine request: refused by any, charged to none.
 */
public final class LimitEnforcer {
  private static final Logger LOG = LoggerFactory.getLogger(LimitEnforcer.class);
  // one log line per 10s while Redis is away, not one per request (the metric counts them all)
  private static final long WARN_INTERVAL_NANOS = Duration.ofSeconds(10).toNanos();

  private final Limiters limiters;
  private final RateLimitMetrics metrics;
  private final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - WARN_INTERVAL_NANOS);

  public LimitEnforcer(Limiters limiters, RateLimitMetrics metrics) {
    this.limiters = limiters;
    this.metrics = metrics;
  }

  /**
   * @throws LimiterUnavailableProblem when the engine failed and an enforced limit's policy is
   *     {@code failureMode: closed}
   */
  public EnforcementResult enforce(List<PlannedCheck> checks) {
    List<PlannedCheck> enforced = new ArrayList<>();
    List<PlannedCheck> shadow = new ArrayList<>();
    for (PlannedCheck check : checks) {
      (check.limit().enforcement() == Enforcement.SHADOW ? shadow : enforced).add(check);
    }
    List<LimitFigures> figures = new ArrayList<>();
    List<CompiledLimit> violated = new ArrayList<>();
    List<Verdict> verdicts = new ArrayList<>(checks.size());
    boolean engineFailed = false;
    if (!enforced.isEmpty()) {
      Optional<List<Decided>> decided = decide(limiters.decider(), enforced);
      if (decided.isPresent()) {
        record(decided.get(), false, figures, violated, verdicts);
      } else {
        engineFailed = true;
        failOver(enforced, figures, violated, verdicts);
      }
    }
    if (violated.isEmpty() && !shadow.isEmpty()) {
      if (engineFailed) {
        // An engine that just failed is not asked again: a hung Redis would cost the request a
        // second budget for limits that never refuse it.
        shadow.forEach(check -> counted(check.limit(), Decision.ERROR, -1, verdicts));
      } else {
        decideShadow(shadow, figures, violated, verdicts);
      }
    }
    return new EnforcementResult(figures, violated, verdicts);
  }

  /**
   * Decides each shadow policy's limits as one request of its own, as they would be decided once
   * that policy is enforced: decided together, a policy on trial that would refuse kept another's
   * limits from being charged, and that trial counted fewer refusals than enforcing it would make.
   * All are sent before any is awaited, so they share a batch and its round trip.
   */
  private void decideShadow(
      List<PlannedCheck> shadow,
      List<LimitFigures> figures,
      List<CompiledLimit> violated,
      List<Verdict> verdicts) {
    Map<String, List<PlannedCheck>> byPolicy = new LinkedHashMap<>(2);
    for (PlannedCheck check : shadow) {
      byPolicy.computeIfAbsent(check.limit().policy(), p -> new ArrayList<>(2)).add(check);
    }
    List<Sent> sent = new ArrayList<>(byPolicy.size());
    for (List<PlannedCheck> checks : byPolicy.values()) {
      sent.add(send(limiters.decider(), checks));
    }
    for (Sent one : sent) {
      Optional<List<Decided>> decided = received(limiters.decider(), one);
      if (decided.isPresent()) {
        record(decided.get(), true, figures, violated, verdicts);
      } else {
        one.checks().forEach(check -> counted(check.limit(), Decision.ERROR, -1, verdicts));
      }
    }
  }

  /** Counts a decision in the metrics and keeps it for the access record. */
  private void counted(
      CompiledLimit limit, Decision decision, long remaining, List<Verdict> verdicts) {
    metrics.decision(limit, decision);
    verdicts.add(new Verdict(limit, decision, remaining));
  }

  private void failOver(
      List<PlannedCheck> enforced,
      List<LimitFigures> figures,
      List<CompiledLimit> violated,
      List<Verdict> verdicts) {
    enforced.forEach(check -> counted(check.limit(), Decision.ERROR, -1, verdicts));
    if (enforced.stream().anyMatch(c -> c.limit().failureMode() == FailureMode.CLOSED)) {
      throw new LimiterUnavailableProblem();
    }
    List<PlannedCheck> local =
        enforced.stream()
            .filter(c -> c.limit().failureMode() == FailureMode.LOCAL)
            .map(c -> new PlannedCheck(c.limit(), limiters.localShare(c.check())))
            .toList();
    if (!local.isEmpty()) {
      // the in-process engine cannot fail; its decisions are counted like any other
      decide(limiters.fallback(), local)
          .ifPresent(outcomes -> record(outcomes, false, figures, violated, verdicts));
    }
  }

  private void record(
      List<Decided> outcomes,
      boolean shadow,
      List<LimitFigures> figures,
      List<CompiledLimit> violated,
      List<Verdict> verdicts) {
    for (Decided decided : outcomes) {
      PlannedCheck check = decided.check();
      boolean exceeded = !decided.outcome().allowed();
      long remaining = decided.outcome().remaining();
      if (shadow) {
        counted(
            check.limit(),
            exceeded ? Decision.SHADOW_LIMITED : Decision.ALLOWED,
            remaining,
            verdicts);
      } else {
        counted(check.limit(), exceeded ? Decision.LIMITED : Decision.ALLOWED, remaining, verdicts);
        if (exceeded) {
          violated.add(check.limit());
        }
      }
      // shadow limits report their figures but never a refusal (no Retry-After on a 200)
      figures.add(figures(check, decided.outcome(), exceeded && !shadow));
    }
  }

  /**
   * The figures the response fields show, counted in requests: a limit with a {@code cost} is
   * charged that many units per request, and a client reading {@code r=2} must be able to send two
   * more, so the engine's units are divided by the cost (rounded down).
   */
  static LimitFigures figures(PlannedCheck check, LimitOutcome outcome, boolean exceeded) {
    long cost = check.check().cost();
    return new LimitFigures(
        check.limit().name(),
        check.check().limit().requests() / cost,
        windowLength(check.check().limit()),
        outcome.remaining() < 0 ? outcome.remaining() : outcome.remaining() / cost,
        outcome.reset(),
        exceeded,
        exceeded ? outcome.retryAfter() : Duration.ZERO);
  }

  /**
   * The window {@code w} of the RateLimit-Policy field: the period, or the length of the calendar
   * day, week or month in force (a DST day has 23 or 25 hours).
   */
  private static Duration windowLength(LimitDefinition limit) {
    if (limit.window() instanceof RollingWindow rolling) {
      return rolling.period();
    }
    return Duration.ofNanos(
        limit.periodMicrosAt(Math.multiplyExact(System.currentTimeMillis(), 1_000)) * 1_000);
  }

  /** A check and the engine's outcome for it. */
  private record Decided(PlannedCheck check, LimitOutcome outcome) {}

  /** Checks sent to the engine as one request, its decision pending since {@code sentNanos}. */
  private record Sent(
      List<PlannedCheck> checks, CompletionStage<LimitDecision> decision, long sentNanos) {}

  /**
   * Outcomes in the order the engine answered them; empty when the engine failed. The over-limit
   * cache answers with the exhausted limits only, so some checks may have no outcome. Lists, not
   * maps keyed by check: a check's hash would hash its whole compiled limit (key parts, tiers) on
   * every request.
   */
  private Optional<List<Decided>> decide(RateLimiter limiter, List<PlannedCheck> checks) {
    return received(limiter, send(limiter, checks));
  }

  private static Sent send(RateLimiter limiter, List<PlannedCheck> checks) {
    List<LimitCheck> limitChecks = new ArrayList<>(checks.size());
    checks.forEach(c -> limitChecks.add(c.check()));
    long sentNanos = System.nanoTime();
    return new Sent(checks, limiter.decide(new LimitRequest(limitChecks)), sentNanos);
  }

  private Optional<List<Decided>> received(RateLimiter limiter, Sent sent) {
    List<PlannedCheck> checks = sent.checks();
    Optional<LimitDecision> decision = await(limiter, sent);
    if (decision.isEmpty()) {
      return Optional.empty();
    }
    List<Decided> outcomes = new ArrayList<>(checks.size());
    for (LimitOutcome outcome : decision.get().outcomes()) {
      for (PlannedCheck check : checks) {
        if (check.check().equals(outcome.check())) {
          outcomes.add(new Decided(check, outcome));
          break;
        }
      }
    }
    return Optional.of(outcomes);
  }

  /**
   * Waits without a timer of its own: every engine ends its decisions within its budget ({@link
   * RateLimiter}; the Redis engine's deadline sweep fails those past it). A timed wait would add a
   * timer per request, which the JDK's scheduler pays for (benchmarks.md, "Limiter wait").
   */
  private Optional<LimitDecision> await(RateLimiter limiter, Sent sent) {
    try {
      return Optional.of(sent.decision().toCompletableFuture().get());
    } catch (ExecutionException e) {
      warnAtMostEvery10s(e);
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } finally {
      if (limiter != limiters.fallback() && limiters.distributed()) {
        metrics.redisDuration(System.nanoTime() - sent.sentNanos());
      }
    }
  }

  private void warnAtMostEvery10s(Exception failure) {
    long last = lastWarning.get();
    long now = System.nanoTime();
    if (now - last >= WARN_INTERVAL_NANOS && lastWarning.compareAndSet(last, now)) {
      Throwable cause = failure.getCause() == null ? failure : failure.getCause();
      LOG.warn(
          "Rate limiter unavailable, failure modes apply (tollgate_ratelimit_decisions_total"
              + "{decision=\"error\"} counts each): "
              + cause);
    }
  }
}
