package dev.tollgate.limiter.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class DecisionDeadlinesTest {
  @Test
  void aDecisionOpenPastItsBudgetFailsWithATimeout() {
    try (DecisionDeadlines deadlines = new DecisionDeadlines(Duration.ofMillis(20))) {
      CompletableFuture<String> decision = deadlines.bound(new CompletableFuture<>());

      await().atMost(Duration.ofSeconds(10)).until(decision::isDone);

      assertThat(decision)
          .failsWithin(Duration.ZERO)
          .withThrowableThat()
          .havingCause()
          .isInstanceOf(TimeoutException.class);
    }
  }

  @Test
  void aDecisionAnsweredInTimeKeepsItsAnswerAndLaterOnesStillExpire() {
    try (DecisionDeadlines deadlines = new DecisionDeadlines(Duration.ofMillis(20))) {
      CompletableFuture<String> answered = deadlines.bound(new CompletableFuture<>());
      CompletableFuture<String> open = deadlines.bound(new CompletableFuture<>());
      answered.complete("admitted");

      await().atMost(Duration.ofSeconds(10)).until(open::isDone);

      assertThat(answered).isCompletedWithValue("admitted");
      assertThat(open).isCompletedExceptionally();
    }
  }

  @Test
  void aDecisionAlreadyDoneIsNotTracked() {
    try (DecisionDeadlines deadlines = new DecisionDeadlines(Duration.ofHours(1))) {
      CompletableFuture<String> done = CompletableFuture.completedFuture("admitted");

      assertThat(deadlines.bound(done)).isSameAs(done).isCompletedWithValue("admitted");
    }
  }
}
