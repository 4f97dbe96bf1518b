package dev.tollgate.logging;

import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.event.Level;

/**
 * How a Tollgate process logs: the one reading of {@value #FORMAT} and {@value #LEVEL}, shared by
 * the gateway, the operator and the analytics service (each lists both among its own settings, so
 * the flags {@code --log-format} and {@code --log-level} work where that component takes flags).
 *
 * @param format {@code json}: one JSON object per line (what the images and the chart set); {@code
 *     text}: one readable line per event (the default, for a terminal)
 * @param level the least severe level written, for Tollgate and its libraries alike
 */
public record LogSettings(Format format, Level level) {
  public static final String FORMAT = "TOLLGATE_LOG_FORMAT";
  public static final String LEVEL = "TOLLGATE_LOG_LEVEL";
  public static final LogSettings DEFAULT = new LogSettings(Format.TEXT, Level.INFO);

  /** How each event is written. */
  public enum Format {
    TEXT,
    JSON
  }

  /**
   * The settings in {@code env} (blank values count as unset, unset as the default).
   *
   * @throws IllegalArgumentException naming the variable whose value is wrong
   */
  public static LogSettings from(Function<String, String> env) {
    return new LogSettings(
        value(env, FORMAT).map(v -> parse(Format.class, FORMAT, v)).orElse(DEFAULT.format),
        value(env, LEVEL).map(v -> parse(Level.class, LEVEL, v)).orElse(DEFAULT.level));
  }

  private static <E extends Enum<E>> E parse(Class<E> type, String name, String value) {
    try {
      return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      StringBuilder allowed = new StringBuilder();
      for (E constant : type.getEnumConstants()) {
        allowed
            .append(allowed.isEmpty() ? "" : ", ")
            .append(constant.name().toLowerCase(Locale.ROOT));
      }
      throw new IllegalArgumentException(
          name + " must be one of " + allowed + ", was '" + value + "'", e);
    }
  }

  private static Optional<String> value(Function<String, String> env, String name) {
    return Optional.ofNullable(env.apply(name)).map(String::strip).filter(v -> !v.isEmpty());
  }
}
