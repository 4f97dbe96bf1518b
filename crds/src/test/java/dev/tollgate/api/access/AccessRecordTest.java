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
  void streamValueRoundTripsAsOneTabSeparatedField() {
    String value = LIMITED.toStreamValue();

    assertThat(value)
        .isEqualTo(
            "1700000000123\treq-1\t4bf92f3577b34da6a3ce929d0e0e4736\tshop/orders\tGET"
                + "\t/orders/{id}\t429\t151\t812\t\t-1\t10.0.0.7"
                + "\tshop/per-ip/burst=limited:0 shop/per-ip/daily=allowed:99");
    assertThat(AccessRecord.fromStreamFields(Map.of(AccessRecord.STREAM_FIELD, value)))
        .isEqualTo(LIMITED);
    assertThat(LIMITED.limited()).isTrue();
    assertThat(LIMITED.limits().getFirst().id()).isEqualTo("shop/per-ip/burst");
  }

  @Test
  void missingTrailingFieldsReadAsUnknownAndExtraOnesAreIgnored() {
    AccessRecord older = AccessRecord.fromStreamValue("5\tr\t\t\tGET\t/\t200");
    AccessRecord newer = AccessRecord.fromStreamValue(LIMITED.toStreamValue() + "\tfuture\tfields");

    assertThat(older.timeMillis()).isEqualTo(5);
    assertThat(older.status()).isEqualTo(200);
    assertThat(older.bytes()).isEqualTo(-1);
    assertThat(older.upstreamMicros()).isEqualTo(-1);
    assertThat(older.limits()).isEmpty();
    assertThat(older.limited()).isFalse();
    assertThat(newer).isEqualTo(LIMITED);
  }

  @Test
  void refusesEntriesThatAreNotRecordsNamingTheProblem() {
    assertThatThrownBy(() -> AccessRecord.fromStreamValue("x\tr"))
        .hasMessage("field t: 'x' is not a number");
    assertThatThrownBy(() -> AccessRecord.fromStreamValue("5\t\t\t\t\t\t200\t\t\t\t\t\tnonsense"))
        .hasMessage("limit decision 'nonsense' is malformed");
    assertThatThrownBy(() -> AccessRecord.fromStreamFields(Map.of("other", "1")))
        .hasMessage("entry has no field 'a'");
  }

  @Test
  void keysShareOneHashTagApartFromTheConfigKeys() {
    AccessStreamKeys keys = new AccessStreamKeys("edge");

    assertThat(keys.stream()).isEqualTo("tollgate:{edge:access}:stream");
    assertThat(keys.prefix()).isEqualTo("tollgate:{edge:access}:");
    assertThatThrownBy(() -> new AccessStreamKeys("a{b")).hasMessageContaining("'a{b'");
  }
}
