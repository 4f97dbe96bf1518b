package dev.tollgate.gateway.ratelimit;

import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders the rate-limit response fields of draft-ietf-httpapi-ratelimit-headers-11 as RFC 9651
 * structured fields, one list member per limit:
 *
 * <pre>
 * RateLimit-Policy: "per-user";q=100;w=60, "per-ip";q=10;w=1
 * RateLimit: "per-user";r=42;t=17, "per-ip";r=9;t=1
 * </pre>
 *
 * plus {@code X-RateLimit-Limit/Remaining/Reset} (delta seconds) for the most restrictive limit,
 * and {@code Retry-After} when the request was refused.
 *
 * <p>All times are whole seconds rounded up, so a client that waits the advertised time never comes
 * back early. For a limit that refused the request, {@code t} is the time until it admits the
 * request again, and {@code Retry-After} is the largest such {@code t} (at least 1): it is never
 * earlier than the reset of any limit that was violated.
 */
public final class RateLimitHeaders {
  public static final String POLICY = "RateLimit-Policy";
  public static final String RATE_LIMIT = "RateLimit";
  public static final String X_LIMIT = "X-RateLimit-Limit";
  public static final String X_REMAINING = "X-RateLimit-Remaining";
  public static final String X_RESET = "X-RateLimit-Reset";
  public static final String RETRY_AFTER = "Retry-After";

  /** The least Retry-After: 0 would invite an immediate retry that must fail again. */
  private static final Duration MIN_RETRY_AFTER = Duration.ofSeconds(1);

  /** Fewest remaining first; on a tie the one that takes longer to refill. */
  private static final Comparator<LimitFigures> MOST_RESTRICTIVE =
      Comparator.comparingLong(LimitFigures::remaining)
          .thenComparing(LimitFigures::untilReset, Comparator.reverseOrder());

  private RateLimitHeaders() {}

  /**
   * The fields for one decision, in a stable order; empty when no limit applied. Loops rather than
   * streams: this runs on every limited request.
   */
  public static Map<String, String> of(List<LimitFigures> limits) {
    Map<String, String> headers = new LinkedHashMap<>(8);
    if (limits.isEmpty()) {
      return headers;
    }
    StringBuilder policy = new StringBuilder(32 * limits.size());
    StringBuilder rateLimit = new StringBuilder(32 * limits.size());
    LimitFigures mostRestrictive = null;
    LimitFigures latestRetry = null;
    for (LimitFigures l : limits) {
      if (!policy.isEmpty()) {
        policy.append(", ");
        rateLimit.append(", ");
      }
      String name = sfString(l.name());
      policy.append(name).append(";q=").append(l.quota()).append(";w=").append(seconds(l.window()));
      rateLimit
          .append(name)
          .append(";r=")
          .append(Math.max(0, l.remaining()))
          .append(";t=")
          .append(seconds(l.untilReset()));
      // the first of equals wins in both, as Stream.min/max would pick
      if (mostRestrictive == null || MOST_RESTRICTIVE.compare(l, mostRestrictive) < 0) {
        mostRestrictive = l;
      }
      if (l.exceeded()
          && (latestRetry == null || l.retryAfter().compareTo(latestRetry.retryAfter()) > 0)) {
        latestRetry = l;
      }
    }
    headers.put(POLICY, policy.toString());
    headers.put(RATE_LIMIT, rateLimit.toString());
    LimitFigures binding = latestRetry == null ? mostRestrictive : latestRetry;
    headers.put(X_LIMIT, Long.toString(binding.quota()));
    headers.put(X_REMAINING, Long.toString(Math.max(0, binding.remaining())));
    headers.put(X_RESET, Long.toString(seconds(binding.untilReset())));
    if (latestRetry != null) {
      headers.put(RETRY_AFTER, Long.toString(retryAfterSeconds(binding.retryAfter())));
    }
    return headers;
  }

  /** Whole seconds, rounded up, at least {@link #MIN_RETRY_AFTER}. */
  public static long retryAfterSeconds(Duration retryAfter) {
    return Math.max(MIN_RETRY_AFTER.toSeconds(), seconds(retryAfter));
  }

  /** Whole seconds rounded up; negative durations count as zero. */
  static long seconds(Duration duration) {
    if (duration.isNegative() || duration.isZero()) {
      return 0;
    }
    long whole = duration.toSeconds();
    return duration.equals(Duration.ofSeconds(whole)) ? whole : whole + 1;
  }

  /**
   * An RFC 9651 sf-string: printable ASCII in double quotes, with {@code "} and {@code \} escaped.
   * Limit and policy names are Kubernetes names, so the fallback for other characters ({@code ?})
   * only guards against a bad configuration producing an invalid field.
   */
  static String sfString(String value) {
    StringBuilder out = new StringBuilder(value.length() + 2).append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c >= 0x20 && c <= 0x7E) {
        out.append(c);
      } else {
        out.append('?');
      }
    }
    return out.append('"').toString();
  }
}
