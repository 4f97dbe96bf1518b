package dev.tollgate.api.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsTest {
  private static final Map<String, String> DEFAULTS =
      Map.of(
          "TOLLGATE_PORT", "8080",
          "TOLLGATE_TIMEOUT", "5s",
          "TOLLGATE_NAME", "",
          "TOLLGATE_MODE", "drop",
          "TOLLGATE_ENABLED", "false",
          "TOLLGATE_SHARE", "1",
          "TOLLGATE_LIST", "");

  private enum Mode {
    DROP,
    REFUSE,
    ALLOW
  }

  @Test
  void aFlagWinsOverTheVariableAndTheVariableOverTheDefault() {
    Settings s =
        Settings.read(
            DEFAULTS,
            Map.of("TOLLGATE_PORT", " 9000 ", "TOLLGATE_TIMEOUT", "1m", "OTHER", "x"),
            List.of("--timeout=250ms", "--name", "edge"));

    assertThat(s.port("TOLLGATE_PORT")).isEqualTo(9000);
    assertThat(s.duration("TOLLGATE_TIMEOUT")).isEqualTo(Duration.ofMillis(250));
    assertThat(s.optional("TOLLGATE_NAME")).contains("edge");
    assertThat(s.choice("TOLLGATE_MODE", Mode.class)).isEqualTo(Mode.DROP);
    assertThat(s.bool("TOLLGATE_ENABLED")).isFalse();
    assertThat(s.decimal("TOLLGATE_SHARE", 0, 1)).isEqualTo(1.0);
    assertThat(s.list("TOLLGATE_LIST")).isEmpty();
    assertThat(s.lookup("OTHER")).as("only known names are read").isNull();
    assertThat(s.lookup("TOLLGATE_LIST")).as("empty is unset").isNull();
  }

  @Test
  void unknownOrIncompleteFlagsAreRefused() {
    assertThatThrownBy(() -> Settings.read(DEFAULTS, Map.of(), List.of("--prot=1")))
        .hasMessage("unknown flag --prot");
    assertThatThrownBy(() -> Settings.read(DEFAULTS, Map.of(), List.of("--port")))
        .hasMessage("flag --port needs a value");
    assertThatThrownBy(() -> Settings.read(DEFAULTS, Map.of(), List.of("port=1")))
        .hasMessage("unexpected argument 'port=1'");
  }

  @Test
  void everyTypedReadNamesTheVariableAndTheValue() {
    Settings s =
        Settings.read(
            DEFAULTS,
            Map.of(
                "TOLLGATE_PORT", "70000",
                "TOLLGATE_TIMEOUT", "soon",
                "TOLLGATE_MODE", "keep",
                "TOLLGATE_ENABLED", "yes",
                "TOLLGATE_SHARE", "0"),
            List.of());

    assertThatThrownBy(() -> s.port("TOLLGATE_PORT"))
        .hasMessage("TOLLGATE_PORT must be a whole number from 0 to 65535, was '70000'");
    assertThatThrownBy(() -> s.positive("TOLLGATE_SHARE"))
        .hasMessage("TOLLGATE_SHARE must be a whole number of at least 1, was '0'");
    assertThatThrownBy(() -> s.duration("TOLLGATE_TIMEOUT"))
        .hasMessageStartingWith("TOLLGATE_TIMEOUT: invalid duration 'soon'");
    assertThatThrownBy(() -> s.choice("TOLLGATE_MODE", Mode.class))
        .hasMessage("TOLLGATE_MODE must be drop, refuse or allow, was 'keep'");
    assertThatThrownBy(() -> s.bool("TOLLGATE_ENABLED"))
        .hasMessage("TOLLGATE_ENABLED must be true or false, was 'yes'");
    assertThatThrownBy(() -> s.decimal("TOLLGATE_SHARE", 0, 1))
        .hasMessage("TOLLGATE_SHARE must be a number above 0 and at most 1, was '0'");
    assertThatThrownBy(() -> s.get("TOLLGATE_NOT_LISTED"))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aBoundedDurationIsRefusedOutsideItsBoundsNamingThem() {
    Settings s = Settings.read(DEFAULTS, Map.of("TOLLGATE_TIMEOUT", "999ms"), List.of());
    Settings huge = Settings.read(DEFAULTS, Map.of("TOLLGATE_TIMEOUT", "999999999h"), List.of());

    assertThatThrownBy(() -> s.duration("TOLLGATE_TIMEOUT", "1s", "1h"))
        .hasMessage("TOLLGATE_TIMEOUT must be from 1s to 1h, was '999ms'");
    assertThatThrownBy(() -> huge.duration("TOLLGATE_TIMEOUT", "1s", "1h"))
        .hasMessage("TOLLGATE_TIMEOUT must be from 1s to 1h, was '999999999h'");
    assertThat(
            Settings.read(DEFAULTS, Map.of(), List.of()).duration("TOLLGATE_TIMEOUT", "1s", "1h"))
        .isEqualTo(Duration.ofSeconds(5));
  }
}
