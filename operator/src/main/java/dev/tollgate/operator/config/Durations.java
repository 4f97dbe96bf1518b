package dev.tollgate.operator.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the human durations used in environment variables: {@code 150ms}, {@code 5s}, {@code 1m}.
 */
public final class Durations {
  private static final Pattern FORMAT = Pattern.compile("(\\d+)(ms|s|m|h)");

  private Durations() {}

  /**
   * @throws IllegalArgumentException naming the variable when the value is not {@code <n>ms|s|m|h}
   */
  public static Duration parse(String variable, String value) {
    Matcher matcher = FORMAT.matcher(value.strip());
    if (!matcher.matches()) {
      throw new IllegalArgumentException(
          variable + "=" + value + ": expected a duration like 150ms, 5s, 1m or 1h");
    }
    long amount = Long.parseLong(matcher.group(1));
    return switch (matcher.group(2)) {
      case "ms" -> Duration.ofMillis(amount);
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      default -> Duration.ofHours(amount);
    };
  }
}
