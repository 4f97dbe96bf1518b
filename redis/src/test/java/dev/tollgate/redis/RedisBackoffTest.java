package dev.tollgate.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RedisBackoffTest {
  private static final Duration MAX = Duration.ofSeconds(2);

  @Test
  void waitsAreSpreadSoThatAFleetDoesNotReconnectInLockstep() {
    Set<Duration> tenthAttempt = new HashSet<>();
    for (int gateway = 0; gateway < 50; gateway++) {
      tenthAttempt.add(RedisBackoff.reconnectDelay(MAX).createDelay(10));
    }

    // 50 gateways at the same attempt: with plain exponential backoff all 50 waits are equal
    assertThat(tenthAttempt).hasSizeGreaterThan(25);
    assertThat(tenthAttempt)
        .allSatisfy(wait -> assertThat(wait).isBetween(Duration.ofMillis(10), MAX));
  }

  @Test
  void theBoundGrowsWithTheAttemptAndStopsAtTheCap() {
    Delay delay = RedisBackoff.reconnectDelay(MAX);
    for (int i = 0; i < 200; i++) {
      assertThat(delay.createDelay(1)).isLessThanOrEqualTo(Duration.ofMillis(20));
      assertThat(delay.createDelay(30)).isLessThanOrEqualTo(MAX);
    }
  }
}
