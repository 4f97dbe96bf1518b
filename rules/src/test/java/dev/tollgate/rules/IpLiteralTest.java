package dev.tollgate.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpLiteralTest {
  @ParameterizedTest
  @CsvSource({
    "10.0.0.1, /10.0.0.1",
    "255.255.255.255, /255.255.255.255",
    "0.0.0.0, /0.0.0.0",
    "::1, /0:0:0:0:0:0:0:1",
    "[2001:db8::7], /2001:db8:0:0:0:0:0:7",
    "::ffff:192.0.2.1, /192.0.2.1",
    "FE80::1, /fe80:0:0:0:0:0:0:1"
  })
  void literalsAreTheirAddresses(String text, String address) {
    assertThat(IpLiteral.parseOrNull(text)).hasToString(address);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "10.1", "167772161", "010.1.1.1", "1.2.3.04", "256.1.1.1", "1.2.3.4.5", "1..2.3", "1.2.3.",
        ".1.2.3", "example.com", "", "[1.2.3.4]", "[]", "1:2", "fe80::1%eth0", "::1]"
      })
  void otherTextIsNoLiteral(String text) {
    assertThat(IpLiteral.parseOrNull(text)).isNull();
  }

  /**
   * InetAddress.getByName asks DNS for what it cannot read as an address: text a client writes in
   * X-Forwarded-For, or a tenant in a backend URL, must not make the gateway or the operator query
   * the resolver (one query per request, or a configuration build waiting on a resolver down).
   */
  @Test
  void noTextIsLookedUp() {
    List<String> texts =
        List.of(
            "999.1.1.1",
            "12345678901",
            "1.2.3.4.5",
            "g::1",
            "zz:zz:1",
            "[g::1]",
            ".:1",
            "example.invalid",
            "1a.2.3.4",
            "10.0.0.1",
            "::1");

    for (String text : texts) {
      InetAddress unused = IpLiteral.parseOrNull(text);
    }

    assertThat(RecordingResolverProvider.lookedUp()).doesNotContainAnyElementsOf(texts);
    // the recorder is in place: a name asked for the JDK's way is noted
    try {
      InetAddress.getByName("recorder-check.invalid");
    } catch (UnknownHostException expected) {
      // nothing resolves .invalid
    }
    assertThat(RecordingResolverProvider.lookedUp()).contains("recorder-check.invalid");
  }

  @ParameterizedTest
  @ValueSource(strings = {"10.1", "167772161", "010.1.1.1", "1.2.3.4"})
  void digitsAndDotsAreNumeric(String text) {
    assertThat(IpLiteral.isNumeric(text)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "a1.example", "1.2.3.4a", "::1"})
  void anythingElseIsNotNumeric(String text) {
    assertThat(IpLiteral.isNumeric(text)).isFalse();
  }
}
