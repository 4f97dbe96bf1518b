package dev.tollgate.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Calendar quotas through a real gateway on a real Redis, as the example in {@code
 * examples/k8s/04-calendar-quota.yaml} configures them: the response fields count down to the next
 * local midnight of the quota's zone (Redis' clock, the JDK's tz data), and the window {@code w} is
 * the length of the current day or month there (23 or 25 hours on a DST day).
 */
class CalendarQuotaIT extends PolicyItBase {
  private static final Path EXAMPLE = Path.of("..", "examples", "k8s", "04-calendar-quota.yaml");
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  /** The route the example targets, in the namespace a manifest without one lands in. */
  private static String ordersRoute() {
    return """
        apiVersion: tollgate.dev/v1alpha1
        kind: Route
        metadata: {name: orders}
        spec:
          match: {pathPrefix: /orders}
          backend: {endpoints: ["%s"]}
          auth: {jwt: optional}
        ---
        """
        .formatted(upstream.url());
  }

  @Test
  void theExampleQuotasCountDownToMidnightInBerlin() throws IOException {
    PolicyGateway gateway = gateway(ordersRoute() + Files.readString(EXAMPLE));
    awayFromMidnight(BERLIN);
    ZonedDateTime before = ZonedDateTime.now(BERLIN);

    HttpResponse<String> ok = gateway.get("/orders/1", "Authorization", bearer("alice", "free"));
    ZonedDateTime after = ZonedDateTime.now(BERLIN);

    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.headers().firstValue("RateLimit-Policy"))
        .contains(
            "\"daily\";q=200000;w="
                + dayLength(before).toSeconds()
                + ", \"monthly\";q=3000000;w="
                + monthLength(before).toSeconds());
    List<StructuredFieldList.Member> fields =
        StructuredFieldList.parse(ok.headers().firstValue("RateLimit").orElseThrow());
    assertThat(fields.get(0).params().get("r")).isEqualTo(199_999L);
    assertThat(fields.get(0).params().get("t"))
        .isBetween(untilMidnight(after), untilMidnight(before) + 1);
    assertThat(fields.get(1).params().get("t"))
        .isBetween(untilFirstOfMonth(after), untilFirstOfMonth(before) + 1);
    // the most restrictive limit is the one with the fewest remaining: the daily one
    assertThat(ok.headers().firstValue("X-RateLimit-Limit")).contains("200000");

    HttpResponse<String> enterprise =
        gateway.get("/orders/1", "Authorization", bearer("bob", "enterprise"));
    assertThat(enterprise.headers().firstValue("RateLimit-Policy"))
        .hasValueSatisfying(p -> assertThat(p).startsWith("\"daily\";q=10000000;"));
  }

  /** A quota of one a day in a zone where it is not near midnight: 429 until that midnight. */
  @Test
  void aSpentDailyQuotaIsRetriedAfterLocalMidnight() {
    ZoneId zone = zoneAwayFromMidnight();
    PolicyGateway gateway =
        gateway(
            ordersRoute()
                + """
                apiVersion: tollgate.dev/v1alpha1
                kind: RateLimitPolicy
                metadata: {name: trial}
                spec:
                  targetRefs: [{kind: Route, name: orders}]
                  limits:
                    - name: trial
                      algorithm: fixed-window
                      rate: {requests: 1}
                      window: {calendar: day, timeZone: %s}
                """
                    .formatted(zone.getId()));

    assertThat(gateway.get("/orders/1").statusCode()).isEqualTo(200);
    ZonedDateTime before = ZonedDateTime.now(zone);
    HttpResponse<String> refused = gateway.get("/orders/1");
    ZonedDateTime after = ZonedDateTime.now(zone);

    assertThat(refused.statusCode()).isEqualTo(429);
    long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
    assertThat(retryAfter).isBetween(untilMidnight(after), untilMidnight(before) + 1);
    assertThat(refused.headers().firstValue("X-RateLimit-Reset")).contains(retryAfter + "");
    assertThat(refused.headers().firstValue("RateLimit")).contains("\"trial\";r=0;t=" + retryAfter);
  }

  /** Waits (at most a minute) until midnight is not within the next 10 seconds in the zone. */
  private static void awayFromMidnight(ZoneId zone) {
    await().atMost(Duration.ofMinutes(1)).until(() -> untilMidnight(ZonedDateTime.now(zone)) > 10);
  }

  /** One of a few zones far apart in which midnight is more than an hour away. */
  private static ZoneId zoneAwayFromMidnight() {
    return Stream.of("America/New_York", "Asia/Tokyo", "Europe/Berlin")
        .map(ZoneId::of)
        .filter(zone -> untilMidnight(ZonedDateTime.now(zone)) > 3_600)
        .findFirst()
        .orElseThrow();
  }

  private static long untilMidnight(ZonedDateTime now) {
    return Duration.between(now, now.toLocalDate().plusDays(1).atStartOfDay(now.getZone()))
        .toSeconds();
  }

  private static long untilFirstOfMonth(ZonedDateTime now) {
    LocalDate first = now.toLocalDate().withDayOfMonth(1).plusMonths(1);
    return Duration.between(now, first.atStartOfDay(now.getZone())).toSeconds();
  }

  private static Duration dayLength(ZonedDateTime now) {
    LocalDate today = now.toLocalDate();
    return Duration.between(
        today.atStartOfDay(now.getZone()), today.plusDays(1).atStartOfDay(now.getZone()));
  }

  private static Duration monthLength(ZonedDateTime now) {
    LocalDate first = now.toLocalDate().withDayOfMonth(1);
    return Duration.between(
        first.atStartOfDay(now.getZone()), first.plusMonths(1).atStartOfDay(now.getZone()));
  }
}
