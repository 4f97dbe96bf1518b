package dev.tollgate.limiter.redis;

import dev.tollgate.limiter.LimitOutcome;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sends script calls in batches: one {@link Batcher} per cluster slot (a single one on a standalone
 * or sentinel Redis), so the calls waiting at the same time for one slot travel in one {@code
 * EVALSHA}. Redis runs a script atomically, so each request in a batch is still decided
 * all-or-nothing, and in order, as if it had been its own call.
 *
 * <p>Why batches: a one-limit script call alone costs Redis about 11 us, and about 6 us per request
 * inside a batch (dispatch, script set-up, {@code TIME}, socket read and write are paid once per
 * batch); the JVM's cost per decision falls from about 9 us to 3 (benchmarks.md). On a cluster,
 * calls for one slot rarely wait at the same time (16,384 slots), so there calls mostly leave
 * alone; a batcher per slot costs a few hundred bytes, created on first use.
 */
final class ScriptCalls {
  /**
   * 128 one-limit requests keep Redis busy for well under a millisecond (about 5 us each), so one
   * batch never holds up other clients of the same Redis for long.
   */
  static final int MAX_BATCH = 128;

  /**
   * Two batches out at once: while Redis runs one, the next is encoded and on its way, so neither
   * side idles. Four made batches smaller (about 14 at 64 decisions in flight) and cost Redis 8.8
   * us per decision instead of 7. One saves a little CPU at full load (no event-loop wake-up for
   * the batches that leave when the one out returns), within the machine's spread in the benchmark,
   * and makes a request that finds a batch out wait for it, which raised the p99 at half load
   * (benchmarks.md, "levers not kept").
   */
  static final int MAX_BATCHES_IN_FLIGHT = 2;

  private final ScriptTransport runner;
  private final ScriptClock clock;
  private final long budgetNanos;
  private final int maxQueued;
  private final int maxBatch;
  private final int maxInFlight;
  private final Map<Integer, Batcher<ScriptCall, CallReply>> bySlot = new ConcurrentHashMap<>();

  /**
   * @param batched false sends every call at once and alone, any number out at a time: the engine
   *     as it was before batching (the benchmark's baseline)
   */
  ScriptCalls(
      ScriptTransport runner, ScriptClock clock, Duration budget, int maxQueued, boolean batched) {
    this.runner = runner;
    this.maxBatch = batched ? MAX_BATCH : 1;
    this.maxInFlight = batched ? MAX_BATCHES_IN_FLIGHT : Integer.MAX_VALUE;
    this.clock = clock;
    this.budgetNanos = budget.toNanos();
    this.maxQueued = maxQueued;
  }

  /** The call's outcomes, one per limit of its group; a call not sent within the budget fails. */
  CompletableFuture<List<LimitOutcome>> call(ScriptCall call) {
    return bySlot
        .computeIfAbsent(call.group().slot(), slot -> newBatcher())
        .submit(call, System.nanoTime() + budgetNanos)
        .thenApply(CallReply::orThrow);
  }

  private Batcher<ScriptCall, CallReply> newBatcher() {
    return new Batcher<>(this::send, maxBatch, maxInFlight, maxQueued);
  }

  private CompletableFuture<List<CallReply>> send(List<ScriptCall> calls, long sendByNanos) {
    return runner
        .run(
            DecideCodec.keys(calls),
            DecideCodec.arguments(clock.argument().get(), clock.localMicros(), calls),
            sendByNanos)
        .thenApply(reply -> DecideCodec.replies(calls, reply));
  }
}
