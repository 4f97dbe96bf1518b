package dev.tollgate.api.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.api.access.AccessRecord.LimitDecision;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AccessRecordTest {
  private static final AccessRecord LIMITED =
      new AccessRecord(
          1_700_000_000_123L,
          "req-1",
          "4bf92f3577b34da6a3ce929d0e0e4736",
          "shop/orders",
          "GET",
          "/orders/{id}",
          429,
          151,
          812,
          "",
          -1,
          "10.0.0.7",
          List.of(
              new LimitDecision("shop/per-ip", "burst", "limited", 0),
              new LimitDecision("shop/per-ip", "daily", "allowed", 99)));

  @Test
  void streamFieldsRoundTrip() {
    Map<String, String> fields = LIMITED.toStreamFields();

    assertThat(fields.keySet())
        .containsExactly("t", "id", "tr", "rt", "m", "p", "s", "b", "d", "u", "ud", "c", "l");
    assertThat(fields.get("l"))
        .isEqualTo("shop/per-ip/burst=limited:0 shop/per-ip/daily=allowed:99");
    assertThat(AccessRecord.fromStreamFields(fields)).isEqualTo(LIMITED);
    assertThat(LIMITED.limited()).isTrue();
    assertThat(LIMITED.limits().getFirst().id()).isEqualTo("shop/per-ip/burst");
  }

  @Test
  void missingFieldsReadAsUnknownSoEitherSideCanBeUpgradedFirst() {
    AccessRecord read = AccessRecord.fromStreamFields(Map.of("t", "5", "s", "200", "new", "x"));

    assertThat(read.timeMillis()).isEqualTo(5);
    assertThat(read.status()).isEqualTo(200);
    assertThat(read.bytes()).isEqualTo(-1);
    assertThat(read.upstreamMicros()).isEqualTo(-1);
    assertThat(read.limits()).isEmpty();
    assertThat(read.limited()).isFalse();
  }

  @Test
  void refusesMalformedNumbersAndDecisionsNamingTheField() {
    assertThatThrownBy(() -> AccessRecord.fromStreamFields(Map.of("s", "OK")))
        .hasMessage("field s: 'OK' is not a number");
    assertThatThrownBy(() -> AccessRecord.fromStreamFields(Map.of("l", "nonsense")))
        .hasMessage("limit decision 'nonsense' is malformed");
  }

  @Test
  void keysShareOneHashTagApartFromTheConfigKeys() {
    AccessStreamKeys keys = new AccessStreamKeys("edge");

    assertThat(keys.stream()).isEqualTo("tollgate:{edge:access}:stream");
    assertThat(keys.prefix()).isEqualTo("tollgate:{edge:access}:");
    assertThatThrownBy(() -> new AccessStreamKeys("a{b")).hasMessageContaining("'a{b'");
  }
}
