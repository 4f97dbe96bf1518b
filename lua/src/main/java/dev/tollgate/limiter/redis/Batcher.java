package dev.tollgate.limiter.redis;

import dev.tollgate.limiter.LimiterUnavailableException;
import dev.tollgate.limiter.LimiterUnavailableException.Reason;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Coalesces calls that wait at the same time into one batch, opportunistically: a call that finds a
 * free batch slot is sent at once (no added latency when idle), calls that arrive while {@code
 * maxInFlight} batches are out wait and leave together, at most {@code maxBatch} per batch, as soon
 * as a batch returns.
 *
 * <p>The sender answers one result per member, in order, or fails; a failed batch fails every
 * member with the batch's failure. A member whose deadline has passed while it waited is failed
 * with a {@link TimeoutException} and never sent: its caller already applied its failure mode, so
 * it must not be charged. For the same reason the sender is told the earliest deadline of the
 * batch's members, after which it must not send the batch (a sender that opens a socket first may
 * find it open only then); a batch it did not send ({@link BatchNotSentException}) fails only the
 * members whose deadline has passed, the others wait again at the head of the queue and leave in
 * the next batch. The queue is bounded; beyond it calls fail at once (DISCONNECTED, like Lettuce's
 * full request queue).
 *
 * @param <T> what a member asks for
 * @param <R> what a member gets back
 */
final class Batcher<T, R> {
  /** Sends one batch. */
  @FunctionalInterface
  interface Sender<T, R> {
    /**
     * @param sendByNanos {@link System#nanoTime()} after which the batch must not be sent: the
     *     earliest deadline of its members
     */
    CompletableFuture<List<R>> send(List<T> calls, long sendByNanos);
  }

  /**
   * Set while this thread completes a batch's members. Their callbacks run on it; a call one of
   * them makes is handed to a new thread, so that a sender answering on the caller's thread does
   * not leave the batch's other members waiting behind that call (or behind every call of a caller
   * that loops while its calls answer at once).
   */
  private static final ThreadLocal<Boolean> COMPLETING = new ThreadLocal<>();

  private final Sender<T, R> sender;
  private final int maxBatch;
  private final int maxInFlight;
  private final int maxQueued;
  private final ConcurrentLinkedDeque<Member<T, R>> queue = new ConcurrentLinkedDeque<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final AtomicInteger inFlight = new AtomicInteger();

  private record Member<T, R>(T call, long deadlineNanos, CompletableFuture<R> result) {}

  Batcher(Sender<T, R> sender, int maxBatch, int maxInFlight, int maxQueued) {
    this.sender = sender;
    this.maxBatch = maxBatch;
    this.maxInFlight = maxInFlight;
    this.maxQueued = maxQueued;
  }

  /**
   * @param deadlineNanos {@link System#nanoTime()} after which the call is not worth sending
   */
  CompletableFuture<R> submit(T call, long deadlineNanos) {
    CompletableFuture<R> result = new CompletableFuture<>();
    if (queued.incrementAndGet() > maxQueued) {
      queued.decrementAndGet();
      result.completeExceptionally(
          new LimiterUnavailableException(
              Reason.DISCONNECTED, "limiter queue full (" + maxQueued + " waiting)", null));
      return result;
    }
    queue.add(new Member<>(call, deadlineNanos, result));
    if (COMPLETING.get() == null) {
      drain();
    } else {
      drainOnNewThread();
    }
    return result;
  }

  /**
   * Sends batches while calls wait and a batch slot is free. Whoever frees a slot drains again
   * after freeing it, and whoever queues drains after queueing, so no call is left waiting with a
   * slot free. A batch answered on this thread ends the loop: the thread's own request should go on
   * rather than carry others' batches, so what still waits is drained by a new virtual thread.
   */
  private void drain() {
    while (!queue.isEmpty() && acquireSlot()) {
      List<Member<T, R>> batch = take();
      if (batch.isEmpty()) {
        inFlight.decrementAndGet();
      } else if (send(batch)) {
        return;
      }
    }
  }

  private boolean acquireSlot() {
    int current;
    do {
      current = inFlight.get();
      if (current >= maxInFlight) {
        return false;
      }
    } while (!inFlight.compareAndSet(current, current + 1));
    return true;
  }

  private List<Member<T, R>> take() {
    List<Member<T, R>> batch = new ArrayList<>(Math.min(maxBatch, queued.get() + 1));
    long now = System.nanoTime();
    Member<T, R> member;
    while (batch.size() < maxBatch && (member = queue.poll()) != null) {
      queued.decrementAndGet();
      if (member.result().isDone()) {
        continue;
      }
      if (!failedIfExpired(member, now)) {
        batch.add(member);
      }
    }
    return batch;
  }

  /**
   * @return whether the sender answered on this thread (the batch is then complete and its slot
   *     free)
   */
  private boolean send(List<Member<T, R>> batch) {
    List<T> calls = new ArrayList<>(batch.size());
    long sendBy = batch.getFirst().deadlineNanos();
    for (Member<T, R> member : batch) {
      calls.add(member.call());
      if (member.deadlineNanos() - sendBy < 0) {
        sendBy = member.deadlineNanos();
      }
    }
    CompletableFuture<List<R>> sent = apply(calls, sendBy);
    if (sent.isDone()) {
      finish(batch, sent);
      if (!queue.isEmpty()) {
        drainOnNewThread();
      }
      return true;
    }
    sent.whenComplete(
        (results, failure) -> {
          finish(batch, sent);
          drain();
        });
    return false;
  }

  private void drainOnNewThread() {
    Thread.ofVirtual().name("tollgate-limiter-batch").start(this::drain);
  }

  private CompletableFuture<List<R>> apply(List<T> calls, long sendByNanos) {
    try {
      return sender.send(calls, sendByNanos);
    } catch (RuntimeException e) {
      // Lettuce may throw instead of failing the future (e.g. a closed connection).
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * Members complete before the slot is freed, so calls their callers make at once join the queue
   * and leave together in the next batch instead of one by one.
   */
  private void finish(List<Member<T, R>> batch, CompletableFuture<List<R>> sent) {
    List<R> results = null;
    Throwable failure = null;
    try {
      results = sent.join();
    } catch (CompletionException | CancellationException e) {
      failure = e.getCause() == null ? e : e.getCause();
    }
    if (failure instanceof BatchNotSentException) {
      requeue(batch);
    } else {
      complete(batch, results, failure);
    }
    inFlight.decrementAndGet();
  }

  /**
   * Puts the members of a batch that was not sent back at the head of the queue, in their order,
   * failing those whose deadline has passed meanwhile (they were never sent, so never charged). The
   * sender refuses only once the earliest deadline has come, so that member at least is failed
   * here: a batch is not refused over and over.
   */
  private void requeue(List<Member<T, R>> batch) {
    long now = System.nanoTime();
    for (Member<T, R> member : batch.reversed()) {
      if (!failedIfExpired(member, now)) {
        queued.incrementAndGet();
        queue.addFirst(member);
      }
    }
  }

  /**
   * Fails a member whose deadline has come (as the sender's send-by check counts it: at the
   * deadline, not after), before it is sent; its caller has applied its failure mode.
   */
  private static boolean failedIfExpired(Member<?, ?> member, long now) {
    if (now - member.deadlineNanos() < 0) {
      return false;
    }
    member.result().completeExceptionally(new TimeoutException("expired before it was sent"));
    return true;
  }

  private void complete(List<Member<T, R>> batch, List<R> results, Throwable failure) {
    if (failure == null && results.size() != batch.size()) {
      failure =
          new IllegalStateException(
              "batch of " + batch.size() + " answered " + results.size() + " results");
    }
    Boolean outer = COMPLETING.get();
    COMPLETING.set(Boolean.TRUE);
    try {
      for (int i = 0; i < batch.size(); i++) {
        if (failure == null) {
          batch.get(i).result().complete(results.get(i));
        } else {
          batch.get(i).result().completeExceptionally(failure);
        }
      }
    } finally {
      if (outer == null) {
        COMPLETING.remove();
      }
    }
  }
}
