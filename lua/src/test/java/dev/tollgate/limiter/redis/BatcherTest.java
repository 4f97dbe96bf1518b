package dev.tollgate.limiter.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.limiter.LimiterUnavailableException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BatcherTest {
  private static final long FAR = Long.MAX_VALUE / 2;

  /** A sender whose batches the test answers by hand. */
  private static final class HeldSender implements Batcher.Sender<Integer, String> {
    final List<List<Integer>> batches = new ArrayList<>();
    final List<Long> sendBys = new ArrayList<>();
    final List<CompletableFuture<List<String>>> answers = new ArrayList<>();

    @Override
    public CompletableFuture<List<String>> send(List<Integer> calls, long sendByNanos) {
      batches.add(List.copyOf(calls));
      sendBys.add(sendByNanos);
      CompletableFuture<List<String>> answer = new CompletableFuture<>();
      answers.add(answer);
      return answer;
    }

    void answer(int batch) {
      answers.get(batch).complete(batches.get(batch).stream().map(call -> "r" + call).toList());
    }
  }

  private static long deadline() {
    return System.nanoTime() + FAR;
  }

  @Test
  void sendsACallAtOnceWhenNoBatchIsOut() {
    HeldSender sender = new HeldSender();
    Batcher<Integer, String> batcher = new Batcher<>(sender, 8, 1, 100);

    CompletableFuture<String> result = batcher.submit(1, deadline());

    assertThat(sender.batches).containsExactly(List.of(1));
    sender.answer(0);
    assertThat(result).isCompletedWithValue("r1");
  }

  @Test
  void callsArrivingWhileABatchIsOutLeaveTogetherWhenItReturns() {
    HeldSender sender = new HeldSender();
    Batcher<Integer, String> batcher = new Batcher<>(sender, 8, 1, 100);
    CompletableFuture<String> first = batcher.submit(1, deadline());
    List<CompletableFuture<String>> waiting =
        IntStream.rangeClosed(2, 4).mapToObj(call -> batcher.submit(call, deadline())).toList();
    assertThat(sender.batches).hasSize(1);

    sender.answer(0);

    assertThat(first).isCompletedWithValue("r1");
    assertThat(sender.batches).containsExactly(List.of(1), List.of(2, 3, 4));
    sender.answer(1);
    assertThat(waiting).extracting(CompletableFuture::join).containsExactly("r2", "r3", "r4");
  }

  /**
   * A batch must not be sent once any member's caller has given up: the sender is told the earliest
   * deadline of the batch, whichever member holds it.
   */
  @Test
  void theSenderIsToldTheEarliestDeadlineOfTheBatch() {
    HeldSender sender = new HeldSender();
    Batcher<Integer, String> batcher = new Batcher<>(sender, 8, 1, 100);
    long now = System.nanoTime();
    batcher.submit(1, now + FAR);
    batcher.submit(2, now + FAR);
    batcher.submit(3, now + FAR / 2);
    batcher.submit(4, now + FAR);

    sender.answer(0);

    assertThat(sender.batches).containsExactly(List.of(1), List.of(2, 3, 4));
    assertThat(sender.sendBys).containsExactly(now + FAR, now + FAR / 2);
  }

  /**
   * A sender that answers on the sending thread (the standalone path): the thread whose batch was
   * answered goes back to its own request, and what waited meanwhile leaves from another thread.
   */
  @Test
  void aBatchAnsweredOnTheSendersThreadLeavesTheNextToAnotherThread() throws Exception {
    CompletableFuture<Void> releaseFirst = new CompletableFuture<>();
    List<Thread> senders = new CopyOnWriteArrayList<>();
    List<List<Integer>> batches = new CopyOnWriteArrayList<>();
    Batcher<Integer, String> batcher =
        new Batcher<>(
            (calls, sendBy) -> {
              senders.add(Thread.currentThread());
              batches.add(List.copyOf(calls));
              if (calls.contains(1)) {
                releaseFirst.join(); // holds the only slot while 2 and 3 queue
              }
              return CompletableFuture.completedFuture(calls.stream().map(c -> "r" + c).toList());
            },
            8,
            1,
            100);
    CompletableFuture<String> first = new CompletableFuture<>();
    Thread firstCaller =
        Thread.ofVirtual().start(() -> first.complete(batcher.submit(1, deadline()).join()));
    await().until(() -> !senders.isEmpty());
    CompletableFuture<String> second = batcher.submit(2, deadline());
    CompletableFuture<String> third = batcher.submit(3, deadline());
    assertThat(second).isNotDone();

    releaseFirst.complete(null);

    assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("r1");
    assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo("r2");
    assertThat(third.join()).isEqualTo("r3");
    assertThat(batches).containsExactly(List.of(1), List.of(2, 3));
    assertThat(senders.get(0)).isSameAs(firstCaller);
    assertThat(senders.get(1)).isNotSameAs(firstCaller).matches(Thread::isVirtual);
  }

  /**
   * A member's callback runs on the thread that completes its batch; a call it makes is sent by
   * another thread even with a slot free, so the batch's other members are not left waiting behind
   * it (a caller that loops while its calls answer at once would keep them waiting for good).
   */
  @Test
  void aCallMadeWhileABatchCompletesIsSentByAnotherThread() throws Exception {
    Map<Integer, CompletableFuture<Void>> holds =
        Map.of(
            1,
            new CompletableFuture<>(),
            2,
            new CompletableFuture<>(),
            3,
            new CompletableFuture<>());
    Map<Integer, Thread> senders = new ConcurrentHashMap<>();
    Batcher<Integer, String> batcher =
        new Batcher<>(
            (calls, sendBy) -> {
              calls.forEach(call -> senders.put(call, Thread.currentThread()));
              holds.getOrDefault(calls.getFirst(), CompletableFuture.completedFuture(null)).join();
              return CompletableFuture.completedFuture(calls.stream().map(c -> "r" + c).toList());
            },
            8,
            2,
            100);
    Thread.ofVirtual().start(() -> batcher.submit(1, deadline()).join());
    Thread.ofVirtual().start(() -> batcher.submit(2, deadline()).join());
    await().until(() -> senders.size() == 2); // both slots held
    AtomicReference<CompletableFuture<String>> fromCallback = new AtomicReference<>();
    AtomicReference<Thread> callbackThread = new AtomicReference<>();
    CompletableFuture<String> third = batcher.submit(3, deadline());
    CompletableFuture<String> fourth = batcher.submit(4, deadline());
    third.thenRun(
        () -> {
          callbackThread.set(Thread.currentThread());
          fromCallback.set(batcher.submit(5, deadline()));
        });

    holds.get(1).complete(null); // 1 answered: a new thread sends 3 and 4, held in the sender
    await().until(() -> senders.containsKey(3));
    holds.get(2).complete(null); // 2 answered: a slot is free while 3 and 4 complete
    holds.get(3).complete(null);

    await().until(() -> fromCallback.get() != null);
    assertThat(fromCallback.get().get(10, TimeUnit.SECONDS)).isEqualTo("r5");
    assertThat(fourth.get(10, TimeUnit.SECONDS)).isEqualTo("r4");
    assertThat(senders.get(5)).isNotSameAs(callbackThread.get());
  }

  @Test
  void keepsUpToMaxInFlightBatchesOutAndCapsEachBatch() {
    HeldSender sender = new HeldSender();
    Batcher<Integer, String> batcher = new Batcher<>(sender, 2, 2, 100);
    IntStream.rangeClosed(1, 7).forEach(call -> batcher.submit(call, deadline()));
    assertThat(sender.batches).containsExactly(List.of(1), List.of(2));

    sender.answer(0);
    sender.answer(1);

    assertThat(sender.batches)
        .containsExactly(List.of(1), List.of(2), List.of(3, 4), List.of(5, 6));
    sender.answer(2);
    assertThat(sender.batches).last().isEqualTo(List.of(7));
  }

  @Test
  void aFailedBatchFailsEveryMemberWithItsFailure() {
    HeldSender sender = new HeldSender();
    Batcher<Integer, String> batcher = new Batcher<>(sender, 8, 1, 100);
    batcher.submit(1, deadline());
    List<CompletableFuture<String>> members =
        IntStream.rangeClosed(2, 4).mapToObj(call -> batcher.submit(call, deadline())).toList();
    sender.answer(0);
    IllegalStateException failure = new IllegalStateException("NOSCRIPT and reload failed");

    sender.answers.get(1).completeExceptionally(failure);

    assertThat(members)
        .allSatisfy(member -> assertThat(member).isCompletedExceptionally())
        .allSatisfy(member -> assertThat(member.exceptionNow()).isSameAs(failure));
  }

  /**
   * A batch the sender did not send charged nobody: its members whose callers still wait leave in
   * the next batch, ahead of later calls, and only those whose deadline passed fail.
   */
  @Test
  void aBatchNotSentIsSentAgainWithoutTheMembersWhoseDeadlinePassed() {
    HeldSender sender = new HeldSender();
    Batcher<Integer, String> batcher = new Batcher<>(sender, 8, 1, 100);
    batcher.submit(1, deadline());
    long soon = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
    CompletableFuture<String> expired = batcher.submit(2, soon);
    CompletableFuture<String> waiting = batcher.submit(3, deadline());
    sender.answer(0);
    CompletableFuture<String> later = batcher.submit(4, deadline());
    await().until(() -> System.nanoTime() - soon > 0);

    sender.answers.get(1).completeExceptionally(BatchNotSentException.socketOpenedLate());

    assertThat(expired.exceptionNow())
        .isInstanceOf(TimeoutException.class)
        .isNotInstanceOf(BatchNotSentException.class);
    assertThat(sender.batches).containsExactly(List.of(1), List.of(2, 3), List.of(3, 4));
    sender.answer(2);
    assertThat(waiting).isCompletedWithValue("r3");
    assertThat(later).isCompletedWithValue("r4");
  }

  @Test
  void aSenderThatThrowsFailsTheBatchAndTheNextCallStillLeaves() {
    AtomicInteger sent = new AtomicInteger();
    Batcher<Integer, String> batcher =
        new Batcher<>(
            (calls, sendBy) -> {
              if (sent.incrementAndGet() == 1) {
                throw new IllegalStateException("connection closed");
              }
              return CompletableFuture.completedFuture(List.of("ok"));
            },
            8,
            1,
            100);

    assertThat(batcher.submit(1, deadline()).exceptionNow()).hasMessage("connection closed");
    assertThat(batcher.submit(2, deadline())).isCompletedWithValue("ok");
  }

  @Test
  void aReplyOfTheWrongLengthFailsEveryMember() {
    Batcher<Integer, String> batcher =
        new Batcher<>((calls, sendBy) -> CompletableFuture.completedFuture(List.of()), 8, 1, 100);

    assertThat(batcher.submit(1, deadline()).exceptionNow())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("batch of 1 answered 0 results");
  }

  @Test
  void aCallWhoseDeadlinePassedWhileWaitingIsFailedAndNeverSent() {
    HeldSender sender = new HeldSender();
    Batcher<Integer, String> batcher = new Batcher<>(sender, 8, 1, 100);
    batcher.submit(1, deadline());
    CompletableFuture<String> expired = batcher.submit(2, System.nanoTime() - 1);
    CompletableFuture<String> alive = batcher.submit(3, deadline());

    sender.answer(0);

    assertThat(expired.exceptionNow()).isInstanceOf(TimeoutException.class);
    assertThat(sender.batches).containsExactly(List.of(1), List.of(3));
    sender.answer(1);
    assertThat(alive).isCompletedWithValue("r3");
  }

  @Test
  void aCallAlreadyCompletedByItsCallerIsNotSent() {
    HeldSender sender = new HeldSender();
    Batcher<Integer, String> batcher = new Batcher<>(sender, 8, 1, 100);
    batcher.submit(1, deadline());
    batcher.submit(2, deadline()).cancel(false);

    sender.answer(0);

    assertThat(sender.batches).containsExactly(List.of(1));
  }

  @Test
  void failsAtOnceWithDisconnectedWhenTheQueueIsFull() {
    HeldSender sender = new HeldSender();
    Batcher<Integer, String> batcher = new Batcher<>(sender, 8, 1, 2);
    batcher.submit(1, deadline());
    batcher.submit(2, deadline());
    batcher.submit(3, deadline());

    CompletableFuture<String> refused = batcher.submit(4, deadline());

    assertThat(refused.exceptionNow())
        .isInstanceOfSatisfying(
            LimiterUnavailableException.class,
            failure ->
                assertThat(failure.reason())
                    .isEqualTo(LimiterUnavailableException.Reason.DISCONNECTED));
    sender.answer(0);
    assertThat(sender.batches).last().isEqualTo(List.of(2, 3));
  }

  /**
   * Many threads submit while batches return on other threads: every call gets its own answer, none
   * is lost, no batch exceeds the cap and never more than the allowed batches are out; also when
   * batches are not sent (their members wait again, none is sent twice: the batches answered hold
   * every call exactly once).
   */
  @ParameterizedTest(name = "every {0}th batch not sent (0: none)")
  @ValueSource(ints = {0, 3})
  void answersEveryCallExactlyOnceUnderConcurrency(int notSentEvery) throws Exception {
    int maxBatch = 16;
    int maxInFlight = 2;
    AtomicInteger sent = new AtomicInteger();
    AtomicInteger out = new AtomicInteger();
    AtomicInteger mostOut = new AtomicInteger();
    ConcurrentLinkedQueue<Integer> batchSizes = new ConcurrentLinkedQueue<>();
    try (ExecutorService redis = Executors.newFixedThreadPool(3);
        ExecutorService callers = Executors.newFixedThreadPool(8)) {
      Batcher<Integer, Integer> batcher =
          new Batcher<>(
              (calls, sendBy) -> {
                mostOut.accumulateAndGet(out.incrementAndGet(), Math::max);
                if (notSentEvery > 0 && sent.incrementAndGet() % notSentEvery == 0) {
                  // refused on the sending thread, as the own sockets refuse
                  out.decrementAndGet();
                  return CompletableFuture.failedFuture(BatchNotSentException.socketOpenedLate());
                }
                batchSizes.add(calls.size());
                return CompletableFuture.supplyAsync(
                    () -> {
                      out.decrementAndGet();
                      return calls.stream().map(call -> -call).toList();
                    },
                    redis);
              },
              maxBatch,
              maxInFlight,
              100_000);
      List<CompletableFuture<List<CompletableFuture<Integer>>>> perCaller = new ArrayList<>();
      for (int caller = 0; caller < 8; caller++) {
        int base = caller * 10_000;
        perCaller.add(
            CompletableFuture.supplyAsync(
                () ->
                    IntStream.range(base, base + 2_000)
                        .mapToObj(call -> batcher.submit(call, deadline()))
                        .toList(),
                callers));
      }
      for (int caller = 0; caller < 8; caller++) {
        List<CompletableFuture<Integer>> results = perCaller.get(caller).get();
        for (int i = 0; i < results.size(); i++) {
          assertThat(results.get(i).get(30, TimeUnit.SECONDS)).isEqualTo(-(caller * 10_000 + i));
        }
      }
    }
    assertThat(batchSizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(16_000);
    assertThat(batchSizes).allSatisfy(size -> assertThat(size).isBetween(1, maxBatch));
    assertThat(mostOut.get()).isLessThanOrEqualTo(maxInFlight);
  }
}
