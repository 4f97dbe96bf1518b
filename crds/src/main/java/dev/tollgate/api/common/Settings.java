package dev.tollgate.api.common;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The one reading of a Tollgate process's settings (gateway, operator, analytics service): each
 * setting is an environment variable {@code TOLLGATE_X_Y} and the flag {@code --x-y=value} (or
 * {@code --x-y value}); a flag wins over the variable, the variable over the default. Only names
 * listed in the defaults are read, so a mistyped flag is refused rather than silently ignored.
 * Values are stripped; an empty value means "unset". Every typed read names the variable and the
 * bad value in its {@link IllegalArgumentException}, so a process refuses to start with a message a
 * person can act on.
 */
public final class Settings {
  private final Map<String, String> values;

  private Settings(Map<String, String> values) {
    this.values = Map.copyOf(values);
  }

  /**
   * @param defaults every known variable and its default ({@code ""} = unset)
   * @param env the process environment (other variables in it are ignored)
   * @param flags command-line arguments, each {@code --name=value} or {@code --name value}
   * @throws IllegalArgumentException for an unknown flag, a flag without a value or an argument
   *     that is not a flag
   */
  public static Settings read(
      Map<String, String> defaults, Map<String, String> env, List<String> flags) {
    Map<String, String> values = new HashMap<>(defaults);
    defaults
        .keySet()
        .forEach(name -> Optional.ofNullable(env.get(name)).ifPresent(v -> values.put(name, v)));
    for (int i = 0; i < flags.size(); i++) {
      String arg = flags.get(i);
      if (!arg.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument '" + arg + "'");
      }
      int eq = arg.indexOf('=');
      String flag = eq < 0 ? arg.substring(2) : arg.substring(2, eq);
      String name = "TOLLGATE_" + flag.toUpperCase(Locale.ROOT).replace('-', '_');
      if (!defaults.containsKey(name)) {
        throw new IllegalArgumentException("unknown flag --" + flag);
      }
      if (eq >= 0) {
        values.put(name, arg.substring(eq + 1));
      } else if (i + 1 < flags.size()) {
        values.put(name, flags.get(++i));
      } else {
        throw new IllegalArgumentException("flag --" + flag + " needs a value");
      }
    }
    values.replaceAll((name, value) -> value.strip());
    return new Settings(values);
  }

  /** The value as given ({@code ""} when unset). */
  public String get(String name) {
    String value = values.get(name);
    if (value == null) {
      // a programming error: every name read must be listed in the component's defaults
      throw new IllegalStateException(name + " is not a known setting");
    }
    return value;
  }

  /** The value, or empty when unset. */
  public Optional<String> optional(String name) {
    return Optional.of(get(name)).filter(v -> !v.isEmpty());
  }

  /** A whole number from {@code min} to {@code max}. */
  public long number(String name, long min, long max) {
    String value = get(name);
    try {
      long n = Long.parseLong(value);
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below with the allowed range
    }
    String range =
        max == Long.MAX_VALUE || max == Integer.MAX_VALUE
            ? "of at least " + min
            : "from " + min + " to " + max;
    throw new IllegalArgumentException(
        name + " must be a whole number " + range + ", was '" + value + "'");
  }

  /** A whole number from {@code min} to {@code max} that fits an int. */
  public int integer(String name, int min, int max) {
    return (int) number(name, min, max);
  }

  /** A whole number of at least 1. */
  public int positive(String name) {
    return integer(name, 1, Integer.MAX_VALUE);
  }

  /** A TCP port; 0 asks the system for a free one. */
  public int port(String name) {
    return integer(name, 0, 65535);
  }

  /** A decimal number above {@code exclusiveMin} and at most {@code max}. */
  public double decimal(String name, double exclusiveMin, double max) {
    String value = get(name);
    try {
      double n = Double.parseDouble(value);
      if (n > exclusiveMin && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below with the allowed range
    }
    throw new IllegalArgumentException(
        name
            + " must be a number above "
            + plain(exclusiveMin)
            + (max == Double.MAX_VALUE ? "" : " and at most " + plain(max))
            + ", was '"
            + value
            + "'");
  }

  /** A duration in the spec syntax ({@link DurationStrings}). */
  public Duration duration(String name) {
    try {
      return DurationStrings.parse(get(name));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
    }
  }

  /** A duration in the spec syntax from {@code min} to {@code max}, both in that syntax. */
  public Duration duration(String name, String min, String max) {
    Duration value = duration(name);
    if (value.compareTo(DurationStrings.parse(min)) < 0
        || value.compareTo(DurationStrings.parse(max)) > 0) {
      throw new IllegalArgumentException(
          name + " must be from " + min + " to " + max + ", was '" + get(name) + "'");
    }
    return value;
  }

  /** {@code true} or {@code false}. */
  public boolean bool(String name) {
    return choice(name, Toggle.class) == Toggle.TRUE;
  }

  /** One of the constants of {@code type}, written in lower case ({@code drop}, {@code json}). */
  public <E extends Enum<E>> E choice(String name, Class<E> type) {
    String value = get(name);
    try {
      return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      List<String> allowed =
          Arrays.stream(type.getEnumConstants())
              .map(c -> c.name().toLowerCase(Locale.ROOT))
              .toList();
      String list =
          allowed.size() == 1
              ? allowed.get(0)
              : String.join(", ", allowed.subList(0, allowed.size() - 1))
                  + " or "
                  + allowed.get(allowed.size() - 1);
      throw new IllegalArgumentException(name + " must be " + list + ", was '" + value + "'", e);
    }
  }

  /** Comma-separated items, blanks dropped. */
  public List<String> list(String name) {
    return Arrays.stream(get(name).split(","))
        .map(String::strip)
        .filter(s -> !s.isEmpty())
        .collect(Collectors.toUnmodifiableList());
  }

  /**
   * The value of {@code name} or null when unknown or unset, for readings shared across components
   * ({@code LogSettings}, {@code RedisSettings}).
   */
  public String lookup(String name) {
    String value = values.get(name);
    return value == null || value.isEmpty() ? null : value;
  }

  private static String plain(double n) {
    return BigDecimal.valueOf(n).stripTrailingZeros().toPlainString();
  }

  private enum Toggle {
    TRUE,
    FALSE
  }
}
