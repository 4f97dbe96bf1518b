package dev.tollgate.limiter;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class KeyValueBytesTest {
  @Test
  void wellFormedValuesKeepTheirUtf8Bytes() {
    for (String value :
        new String[] {"", "claim:sub=alice", "claim:sub=\u00e9\u4e2d", "claim:sub=\ud83d\ude00x"}) {
      assertThat(KeyValueBytes.of(value)).isEqualTo(value.getBytes(StandardCharsets.UTF_8));
    }
  }

  @Test
  void unpairedSurrogatesStayDistinctFromEveryOtherValue() {
    byte[] high = KeyValueBytes.of("claim:sub=\ud800");
    byte[] low = KeyValueBytes.of("claim:sub=\udc00");
    byte[] question = KeyValueBytes.of("claim:sub=?");
    byte[] swapped = KeyValueBytes.of("claim:sub=\ude00\ud83d");

    assertThat(high).isNotEqualTo(question).isNotEqualTo(low);
    assertThat(high).endsWith((byte) 0xED, (byte) 0xA0, (byte) 0x80);
    assertThat(swapped)
        .isNotEqualTo(KeyValueBytes.of("claim:sub=??"))
        .isNotEqualTo(KeyValueBytes.of("claim:sub=\ud83d\ude00"));
  }
}
