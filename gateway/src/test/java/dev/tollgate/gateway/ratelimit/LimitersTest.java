package dev.tollgate.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.limiter.Algorithm;
import dev.tollgate.limiter.LimitCheck;
import dev.tollgate.limiter.LimitDefinition;
import dev.tollgate.limiter.LimitId;
import dev.tollgate.limiter.LimitRequest;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The share of a limit that {@code failureMode: local} gives each of four replicas. */
class LimitersTest {
  private final Limiters limiters =
      Limiters.create(new LimiterSettings(Optional.empty(), Duration.ofMillis(50), 4, 64), () -> 0);

  @AfterEach
  void close() {
    limiters.close();
  }

  private static LimitDefinition bucket(long requests, long burst) {
    return new LimitDefinition(
        new LimitId("shop", "orders", "compute"),
        Algorithm.TOKEN_BUCKET,
        requests,
        Duration.ofMinutes(1),
        burst);
  }

  @Test
  void aShareIsTheLimitDividedByTheReplicas() {
    LimitCheck share = limiters.localShare(new LimitCheck(bucket(100, 20), "sub=alice"));

    assertThat(share.limit().requests()).isEqualTo(25);
    assertThat(share.limit().burst()).isEqualTo(5);
  }

  @Test
  void aShareStillHoldsOneRequestOfTheLimitsCost() {
    // cost 10 of a burst of 20 (valid: cost <= capacity); a quarter, 5, would refuse every request
    // of this limit while Redis is away, however long the client waits (Retry-After said a minute)
    LimitCheck share = limiters.localShare(new LimitCheck(bucket(100, 20), "sub=alice", 10));

    assertThat(share.limit().capacity()).isGreaterThanOrEqualTo(10);
    assertThat(limiters.fallback().decideNow(LimitRequest.of(share)).allowed()).isTrue();
  }

  @Test
  void aCostAsLargeAsTheCapacityKeepsTheWholeLimit() {
    LimitCheck check = new LimitCheck(bucket(100, 20), "sub=alice", 20);

    assertThat(limiters.localShare(check).limit()).isEqualTo(check.limit());
  }
}
