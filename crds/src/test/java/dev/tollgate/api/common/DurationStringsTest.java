package dev.tollgate.api.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationStringsTest {
  @ParameterizedTest
  @CsvSource({"250ms,PT0.25S", "5s,PT5S", "1m,PT1M", "2h,PT2H", "999999999ms,PT277H46M39.999S"})
  void parsesEveryUnit(String text, Duration expected) {
    assertThat(DurationStrings.parse(text)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", "5", "s", "1.5s", "-1s", "1m30s", "5 s", "1d", "1234567890s", "0s", "05s"})
  void rejectsAnythingElseNamingTheValue(String text) {
    assertThatThrownBy(() -> DurationStrings.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + text + "'");
  }

  @org.junit.jupiter.api.Test
  void rejectsNull() {
    assertThatThrownBy(() -> DurationStrings.parse(null))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
