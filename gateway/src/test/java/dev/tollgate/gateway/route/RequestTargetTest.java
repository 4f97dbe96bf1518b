package dev.tollgate.gateway.route;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RequestTargetTest {
  @ParameterizedTest
  @CsvSource({
    "/orders/1, /orders/1, shop.test",
    "http://api.example.com/orders/1, /orders/1, api.example.com",
    "HTTPS://API.example.com:8443/a/b, /a/b, API.example.com:8443",
    "http://api.example.com, /, api.example.com",
    "http://[2001:db8::1]:8080/x, /x, [2001:db8::1]:8080",
    "http://10.0.0.7/x, /x, 10.0.0.7"
  })
  void theAbsoluteFormNamesItsOwnAuthorityAndHostNamesTheOriginForms(
      String raw, String path, String authority) {
    assertThat(RequestTarget.of(raw, "shop.test")).isEqualTo(new RequestTarget(path, authority));
  }

  /** Kept whole with Host's authority: the path normalizer refuses them (no leading slash). */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://user@api.example.com/x",
        "http://user:pw@api.example.com/x",
        "http:///x",
        "http://:80/x",
        "ftp://api.example.com/x",
        "api.example.com/x",
        "http:/x",
        "*",
        "http://api.example.com%2F@evil/x"
      })
  void anythingElseIsKeptForTheNormalizerToRefuse(String raw) {
    assertThat(RequestTarget.of(raw, "shop.test")).isEqualTo(new RequestTarget(raw, "shop.test"));
  }
}
