package dev.tollgate.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.gateway.ratelimit.StructuredFieldList.Member;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RateLimitHeadersTest {
  private static LimitFigures allowed(String name, long q, Duration w, long r, Duration reset) {
    return new LimitFigures(name, q, w, r, reset, false, Duration.ZERO);
  }

  private static LimitFigures exceeded(String name, long q, Duration w, Duration retry) {
    return new LimitFigures(name, q, w, 0, w, true, retry);
  }

  @Test
  void rendersOnePolicyMemberPerLimitWithQuotaAndWindow() {
    Map<String, String> headers =
        RateLimitHeaders.of(
            List.of(
                allowed("per-user", 100, Duration.ofMinutes(1), 42, Duration.ofMillis(16_200)),
                allowed("per-ip", 10, Duration.ofSeconds(1), 9, Duration.ofMillis(100))));

    assertThat(headers.get("RateLimit-Policy"))
        .isEqualTo("\"per-user\";q=100;w=60, \"per-ip\";q=10;w=1");
    List<Member> policy = StructuredFieldList.parse(headers.get("RateLimit-Policy"));
    assertThat(policy)
        .containsExactly(
            new Member("per-user", Map.of("q", 100L, "w", 60L)),
            new Member("per-ip", Map.of("q", 10L, "w", 1L)));
  }

  @Test
  void rendersRemainingAndResetRoundedUpPerLimit() {
    Map<String, String> headers =
        RateLimitHeaders.of(
            List.of(
                allowed("per-user", 100, Duration.ofMinutes(1), 42, Duration.ofMillis(16_200)),
                allowed("per-ip", 10, Duration.ofSeconds(1), 9, Duration.ofMillis(100))));

    assertThat(headers.get("RateLimit")).isEqualTo("\"per-user\";r=42;t=17, \"per-ip\";r=9;t=1");
    assertThat(StructuredFieldList.parse(headers.get("RateLimit")))
        .extracting(Member::value, m -> m.params().get("r"), m -> m.params().get("t"))
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("per-user", 42L, 17L),
            org.assertj.core.groups.Tuple.tuple("per-ip", 9L, 1L));
    assertThat(headers).doesNotContainKey("Retry-After");
  }

  @Test
  void legacyHeadersDescribeTheLimitWithFewestRemaining() {
    Map<String, String> headers =
        RateLimitHeaders.of(
            List.of(
                allowed("per-user", 100, Duration.ofMinutes(1), 42, Duration.ofSeconds(17)),
                allowed("per-ip", 10, Duration.ofSeconds(1), 3, Duration.ofMillis(700)),
                allowed("global", 1000, Duration.ofHours(1), 3, Duration.ofSeconds(3000))));

    assertThat(headers)
        .containsEntry("X-RateLimit-Limit", "1000")
        .containsEntry("X-RateLimit-Remaining", "3")
        .containsEntry("X-RateLimit-Reset", "3000");
  }

  @Test
  void refusalCarriesRetryAfterNoEarlierThanAnyViolatedLimitsReset() {
    Map<String, String> headers =
        RateLimitHeaders.of(
            List.of(
                exceeded("per-user", 50, Duration.ofMinutes(1), Duration.ofMillis(1_200)),
                exceeded("per-ip", 10, Duration.ofSeconds(10), Duration.ofMillis(4_001)),
                allowed("global", 1000, Duration.ofHours(1), 500, Duration.ofSeconds(3))));

    assertThat(headers.get("Retry-After")).isEqualTo("5");
    List<Member> rateLimit = StructuredFieldList.parse(headers.get("RateLimit"));
    for (Member member : rateLimit) {
      if (!member.value().equals("global")) {
        assertThat(member.params().get("r")).isZero();
        assertThat(Long.parseLong(headers.get("Retry-After")))
            .isGreaterThanOrEqualTo(member.params().get("t"));
      }
    }
    assertThat(headers)
        .containsEntry("X-RateLimit-Limit", "10")
        .containsEntry("X-RateLimit-Remaining", "0")
        .containsEntry("X-RateLimit-Reset", "5");
  }

  @Test
  void retryAfterIsAtLeastOneSecond() {
    Map<String, String> headers =
        RateLimitHeaders.of(
            List.of(exceeded("burst", 5, Duration.ofMillis(500), Duration.ofMillis(3))));

    assertThat(headers.get("Retry-After")).isEqualTo("1");
    assertThat(RateLimitHeaders.retryAfterSeconds(Duration.ZERO)).isEqualTo(1);
  }

  @Test
  void escapesNamesAsSfStrings() {
    Map<String, String> headers =
        RateLimitHeaders.of(
            List.of(allowed("we\"ird\\name", 1, Duration.ofSeconds(1), 1, Duration.ZERO)));

    assertThat(headers.get("RateLimit-Policy")).startsWith("\"we\\\"ird\\\\name\";");
    assertThat(StructuredFieldList.parse(headers.get("RateLimit-Policy")).getFirst().value())
        .isEqualTo("we\"ird\\name");
  }

  @Test
  void noLimitsNoHeaders() {
    assertThat(RateLimitHeaders.of(List.of())).isEmpty();
  }

  @Test
  void theTestParserRejectsSyntaxSlips() {
    assertThatThrownBy(() -> StructuredFieldList.parse("per-user;q=1"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> StructuredFieldList.parse("\"a\";q=1.5"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> StructuredFieldList.parse("\"a\" ;q=1"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> StructuredFieldList.parse("\"a\";q=1,"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
