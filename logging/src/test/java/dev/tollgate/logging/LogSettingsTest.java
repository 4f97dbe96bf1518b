package dev.tollgate.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

class LogSettingsTest {
  @Test
  void unsetOrBlankMeansTextAtInfo() {
    assertThat(LogSettings.from(Map.<String, String>of()::get)).isEqualTo(LogSettings.DEFAULT);
    assertThat(LogSettings.from(Map.of(LogSettings.FORMAT, " ", LogSettings.LEVEL, "")::get))
        .isEqualTo(new LogSettings(LogSettings.Format.TEXT, Level.INFO));
  }

  @Test
  void readsFormatAndLevelInAnyCase() {
    assertThat(
            LogSettings.from(Map.of(LogSettings.FORMAT, "JSON", LogSettings.LEVEL, " debug ")::get))
        .isEqualTo(new LogSettings(LogSettings.Format.JSON, Level.DEBUG));
    assertThat(LogSettings.from(Map.of(LogSettings.LEVEL, "Warn")::get).level())
        .isEqualTo(Level.WARN);
  }

  @Test
  void aWrongValueIsRefusedNamingTheVariableAndTheChoices() {
    assertThatThrownBy(() -> LogSettings.from(Map.of(LogSettings.LEVEL, "verbose")::get))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "TOLLGATE_LOG_LEVEL must be one of error, warn, info, debug, trace, was 'verbose'");
    assertThatThrownBy(() -> LogSettings.from(Map.of(LogSettings.FORMAT, "logfmt")::get))
        .hasMessage("TOLLGATE_LOG_FORMAT must be one of text, json, was 'logfmt'");
  }
}
