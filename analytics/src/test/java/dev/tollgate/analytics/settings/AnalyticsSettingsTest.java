package dev.tollgate.analytics.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AnalyticsSettingsTest {
  private static final String REDIS = "redis://127.0.0.1:6379";

  /**
   * The surge check compares the window with the baseline before it, read from minute buckets: a
   * baseline reaching past the retention reads expired minutes as no traffic, and steady traffic
   * then looks like a surge.
   */
  @Test
  void refusesASurgeBaselineReachingPastTheRetention() {
    assertThatThrownBy(
            () ->
                AnalyticsSettings.from(
                    Map.of("TOLLGATE_REDIS_URL", REDIS, "TOLLGATE_ANALYTICS_RETENTION", "30m"),
                    List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("TOLLGATE_ANALYTICS_SURGE_WINDOW")
        .hasMessageContaining("TOLLGATE_ANALYTICS_SURGE_BASELINE")
        .hasMessageContaining("TOLLGATE_ANALYTICS_RETENTION");
  }

  @Test
  void acceptsASurgeWindowAndBaselineThatFillTheRetention() {
    AnalyticsSettings settings =
        AnalyticsSettings.from(
            Map.of("TOLLGATE_REDIS_URL", REDIS, "TOLLGATE_ANALYTICS_RETENTION", "65m"), List.of());

    assertThat(settings.retention()).isEqualTo(Duration.ofMinutes(65));
  }

  @Test
  void refusesARetentionLongerThanAWeek() {
    assertThat(
            AnalyticsSettings.from(
                    Map.of("TOLLGATE_REDIS_URL", REDIS, "TOLLGATE_ANALYTICS_RETENTION", "168h"),
                    List.of())
                .retention())
        .isEqualTo(Duration.ofDays(7));
    assertThatThrownBy(
            () ->
                AnalyticsSettings.from(
                    Map.of("TOLLGATE_REDIS_URL", REDIS, "TOLLGATE_ANALYTICS_RETENTION", "169h"),
                    List.of()))
        .hasMessage(
            "TOLLGATE_ANALYTICS_RETENTION must be at most 168h, was '169h': the minute buckets"
                + " live in the limiter's Redis");
  }

  @Test
  void refusesAClaimTimeThatWouldThrashOrNeverComeRound() {
    // before: accepted, and the second one threw in the ingest loop at each claim (nanoseconds)
    for (String claimIdle : List.of("999ms", "999999999h")) {
      assertThatThrownBy(
              () ->
                  AnalyticsSettings.from(
                      Map.of(
                          "TOLLGATE_REDIS_URL", REDIS, "TOLLGATE_ANALYTICS_CLAIM_IDLE", claimIdle),
                      List.of()))
          .hasMessage(
              "TOLLGATE_ANALYTICS_CLAIM_IDLE must be from 1s to 1h, was '" + claimIdle + "'");
    }
  }
}
