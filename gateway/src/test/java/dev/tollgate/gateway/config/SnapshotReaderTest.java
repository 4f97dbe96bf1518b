package dev.tollgate.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.api.snapshot.ConfigSnapshot;
import org.junit.jupiter.api.Test;

class SnapshotReaderTest {
  private final SnapshotReader reader = new SnapshotReader("tollgate:{gw}:config");

  @Test
  void readsTheOperatorsJsonAndIgnoresFieldsItDoesNotKnow() throws Exception {
    ConfigSnapshot snapshot =
        reader.parse(
            OperatorWrites.snapshot(12, "/app", "http://127.0.0.1:9000")
                .replace("\"version\"", "\"addedLater\":true,\"version\""));

    assertThat(snapshot.version()).isEqualTo(12);
    assertThat(snapshot.routes())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.name()).isEqualTo("route-0");
              assertThat(r.endpoints()).containsExactly("http://127.0.0.1:9000");
              assertThat(r.spec().getMatch().getPathPrefix()).isEqualTo("/app");
            });
    assertThat(snapshot.policies()).isEmpty();
  }

  @Test
  void namesTheKeyWhenTheJsonIsCut() {
    assertThatThrownBy(() -> reader.parse("{\"version\": 2, \"routes\": ["))
        .isInstanceOf(ConfigValidationException.class)
        .hasMessageStartingWith(
            "tollgate:{gw}:config: not a valid snapshot: Unexpected end-of-input");
  }

  @Test
  void refusesAFieldOfTheWrongShape() {
    assertThatThrownBy(() -> reader.parse("{\"version\": \"two\"}"))
        .isInstanceOf(ConfigValidationException.class)
        .hasMessageStartingWith(
            "tollgate:{gw}:config: not a valid snapshot: Cannot deserialize value of type `long`");
  }

  @Test
  void refusesJsonNullAndAMissingSnapshot() {
    assertThatThrownBy(() -> reader.parse("null"))
        .hasMessage("tollgate:{gw}:config: not a valid snapshot: empty document");
    assertThatThrownBy(() -> reader.parse(null))
        .hasMessage("tollgate:{gw}:config: missing although its version key is set");
  }
}
