package dev.tollgate.api.common;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The duration syntax of Tollgate specs: a positive whole number (no leading zero, at most 9
 * digits) and one unit, {@code ms}, {@code s}, {@code m} or {@code h} ({@code 250ms}, {@code 5s},
 * {@code 1m}). One unit only, so the CRD schema can check it with {@link #PATTERN} and every reader
 * parses it the same way; every duration in a spec (timeouts, periods, delays) must be positive.
 */
public final class DurationStrings {
  /** The schema pattern; the CRD rejects anything else at {@code kubectl apply} time. */
  public static final String PATTERN = "^[1-9][0-9]{0,8}(ms|s|m|h)$";

  private static final Pattern SYNTAX = Pattern.compile(PATTERN);

  private DurationStrings() {}

  /**
   * Parses {@code text}; throws {@link IllegalArgumentException} naming the value and the syntax
   * when it does not match.
   */
  public static Duration parse(String text) {
    Matcher m = text == null ? null : SYNTAX.matcher(text);
    if (m == null || !m.matches()) {
      throw new IllegalArgumentException(
          "invalid duration '"
              + text
              + "': expected a positive whole number and ms, s, m or h, e.g. 5s");
    }
    long amount = Long.parseLong(text.substring(0, m.start(1)));
    return switch (m.group(1)) {
      case "ms" -> Duration.ofMillis(amount);
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      default -> Duration.ofHours(amount);
    };
  }
}
