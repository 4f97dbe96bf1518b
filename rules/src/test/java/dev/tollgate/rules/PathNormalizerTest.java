package dev.tollgate.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.rules.PathNormalizer.BadPath;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
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
    "/a%25, /a%25",
    "/a%25%25x, /a%25%25x",
    "/a%25g0, /a%25g0",
    "/caf%c3%a9, /caf%C3%A9",
    "/v1.2/x, /v1.2/x",
    "/%C0, /%C0",
    "/%C0b, /%C0b",
    "/%E0%A4%85, /%E0%A4%85",
    "/%F0%9F%98%80, /%F0%9F%98%80",
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
    "/%25%32%65%25%32%65/admin, Double percent-encoding",
    "/a%25%32Fb, Double percent-encoding",
    "/a%25%32%66b, Double percent-encoding",
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
    "/public/%C0%AE%C0%AE/internal, Overlong UTF-8",
    "/public%c0%afinternal, Overlong UTF-8",
    "/public/%C1%9C, Overlong UTF-8",
    "/public/%E0%80%AE%E0%80%AE/internal, Overlong UTF-8",
    "/public/%F0%80%80%AF, Overlong UTF-8",
  })
  void refusesAmbiguousForms(String raw, String reason) {
    assertThatThrownBy(() -> PathNormalizer.normalize(raw))
        .isInstanceOf(BadPath.class)
        .hasMessageContaining(reason);
  }

  /**
   * Paths already canonical are returned without the whole pass; over random paths built from the
   * characters that matter (slashes, dots, escapes, refused characters), the answer, or the
   * refusal, is the whole pass's.
   */
  @Test
  void theShortcutForCanonicalPathsAnswersAsTheWholePass() {
    String[] pieces = {
      "/", "/", ".", ".", "a", "b", "-", "~", "%2e", "%2F", "%41", "%", ";", "\\", " "
    };
    Random random = new Random(42);
    int unchanged = 0;
    for (int n = 0; n < 200_000; n++) {
      StringBuilder path = new StringBuilder("/");
      for (int length = random.nextInt(8); length > 0; length--) {
        path.append(pieces[random.nextInt(pieces.length)]);
      }
      String raw = path.toString();
      String expected = outcome(() -> PathNormalizer.normalizeFully(raw));
      assertThat(outcome(() -> PathNormalizer.normalize(raw))).as(raw).isEqualTo(expected);
      if (expected.equals(raw)) {
        unchanged++;
      }
    }
    assertThat(unchanged).as("canonical paths among the random ones").isGreaterThan(10_000);
  }

  @ParameterizedTest
  @CsvSource({"/", "/orders", "/orders/", "/v1.2/items/a-b_c~d", "/a:b@c!$&()*+="})
  void aCanonicalPathIsReturnedAsItIs(String raw) {
    assertThat(PathNormalizer.normalize(raw)).isSameAs(raw);
  }

  private static String outcome(Supplier<String> normalization) {
    try {
      return normalization.get();
    } catch (BadPath e) {
      return "refused: " + e.getMessage();
    }
  }

  @ParameterizedTest
  @CsvSource({"/a b", "/a\tb", "/é"})
  void refusesRawCharactersThatMustBeEncoded(String raw) {
    assertThatThrownBy(() -> PathNormalizer.normalize(raw)).isInstanceOf(BadPath.class);
  }
}
