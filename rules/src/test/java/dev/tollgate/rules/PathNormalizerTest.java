package dev.tollgate.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.rules.PathNormalizer.BadPath;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PathNormalizerTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "/, /",
    "/orders, /orders",
    "/orders/, /orders/",
    "/a/../b, /b",
    "/a/./b, /a/b",
    "//b, /b",
    "/a//b///c, /a/b/c",
    "/a/b/.., /a/",
    "/a/b/../, /a/",
    "/a/%2E%2E/b, /b",
    "/a/%2e/b, /a/b",
    "/%6Frders, /orders",
    "/%7euser, /~user",
    "/a%20b, /a%20b",
    "/a%3bb, /a%3Bb",
    "/caf%c3%a9, /caf%C3%A9",
    "/v1.2/x, /v1.2/x",
  })
  void normalizes(String raw, String expected) {
    assertThat(PathNormalizer.normalize(raw)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} refused")
  @CsvSource({
    "/a%2Fb, Encoded slashes",
    "/a%2fb, Encoded slashes",
    "/a%5Cb, Encoded slashes",
    "/a\\b, Backslashes",
    "/%252e%252e/admin, Double percent-encoding",
    "/a%252Fb, Double percent-encoding",
    "/admin;jsessionid=1, Path parameters",
    "/admin/..;/x, Path parameters",
    "/admin., must not end with a dot",
    "/admin.../x, must not end with a dot",
    "/a%00b, Encoded control characters",
    "/a%0d%0ab, Encoded control characters",
    "/.., climbs above the root",
    "/a/../../b, climbs above the root",
    "/%2e%2e/%2e%2e/b, climbs above the root",
    "/%2e%2e/b, climbs above the root",
    "/a%zz, Invalid percent-encoding",
    "/a%2, Incomplete percent-encoding",
    "relative, must start with",
  })
  void refusesAmbiguousForms(String raw, String reason) {
    assertThatThrownBy(() -> PathNormalizer.normalize(raw))
        .isInstanceOf(BadPath.class)
        .hasMessageContaining(reason);
  }

  @ParameterizedTest
  @CsvSource({"/a b", "/a\tb", "/é"})
  void refusesRawCharactersThatMustBeEncoded(String raw) {
    assertThatThrownBy(() -> PathNormalizer.normalize(raw)).isInstanceOf(BadPath.class);
  }
}
