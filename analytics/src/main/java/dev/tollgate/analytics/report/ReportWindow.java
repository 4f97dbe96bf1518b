package dev.tollgate.analytics.report;

import dev.tollgate.api.common.DurationStrings;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * What a report covers: how far back, as asked ({@code 24h}), and optionally one route.
 *
 * @param text the window as written, echoed in the report
 */
public record ReportWindow(Duration window, String text, Optional<String> route) {
  /** Default when the request names no window. */
  public static final String DEFAULT = "24h";

  /** Reads {@code window} and {@code route} from a query string, within the retention. */
  public record Parser(Duration retention) {
    /**
     * @param rawQuery the request's query, may be null
     * @throws IllegalArgumentException naming the parameter
     */
    public ReportWindow parse(String rawQuery) {
      String text = DEFAULT;
      Optional<String> route = Optional.empty();
      if (rawQuery != null) {
        for (String pair : rawQuery.split("&")) {
          int eq = pair.indexOf('=');
          String name = eq < 0 ? pair : pair.substring(0, eq);
          String value =
              eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
          switch (name) {
            case "window" -> text = value;
            case "route" -> route = value.isEmpty() ? Optional.empty() : Optional.of(value);
            default -> {
              // other parameters are ignored, like any web page's
            }
          }
        }
      }
      return of(text, route);
    }

    /**
     * @throws IllegalArgumentException when the window is malformed or longer than the retention
     */
    public ReportWindow of(String text, Optional<String> route) {
      Duration window;
      try {
        window = DurationStrings.parse(text);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("window: " + e.getMessage(), e);
      }
      if (window.compareTo(retention) > 0) {
        throw new IllegalArgumentException(
            "window: "
                + text
                + " is longer than the minute buckets are kept (TOLLGATE_ANALYTICS_RETENTION, "
                + retention.toMinutes()
                + " minutes)");
      }
      if (route.isPresent() && route.get().length() > 253 * 2 + 1) {
        throw new IllegalArgumentException("route: longer than a namespace/name can be");
      }
      return new ReportWindow(window, text, route);
    }
  }
}
