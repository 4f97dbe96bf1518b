package dev.tollgate.analytics.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.analytics.report.Report.PathStats;
import org.junit.jupiter.api.Test;

/** Paths over a report's window in bounded memory, the busiest kept exactly. */
class PathTallyTest {
  @Test
  void aNewPathEveryMinuteFillsNoMoreThanTheCapacityAndTheBusiestStayExact() {
    PathTally tally = new PathTally(1_000);
    // a day: two busy paths each minute, and 100 paths never seen again (a client's made-up ones)
    for (int minute = 0; minute < 1_440; minute++) {
      tally.requests("shop/orders", "/orders/{id}", 50);
      tally.errors("shop/orders", "/orders/{id}", 1);
      tally.requests("shop/cart", "/cart", 20);
      for (int i = 0; i < 100; i++) {
        tally.requests("-", "/made-up/" + minute + "/" + i, 1);
      }
      assertThat(tally.size()).isLessThanOrEqualTo(1_000);
    }

    assertThat(tally.top(2))
        .containsExactly(
            new PathStats("shop/orders", "/orders/{id}", 50 * 1_440, 1_440),
            new PathStats("shop/cart", "/cart", 20 * 1_440, 0));
  }

  @Test
  void belowTheCapacityNothingIsDroppedAndTiesListByRouteThenPath() {
    PathTally tally = new PathTally(10);
    tally.requests("b", "/x", 3);
    tally.requests("a", "/y", 3);
    tally.requests("a", "/x", 3);
    tally.errors("a", "/x", 2);

    assertThat(tally.top(20))
        .containsExactly(
            new PathStats("a", "/x", 3, 2),
            new PathStats("a", "/y", 3, 0),
            new PathStats("b", "/x", 3, 0));
  }
}
