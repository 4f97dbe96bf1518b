package dev.tollgate.api.common;

/**
 * Regular expressions the CRD schema enforces on names and paths. Each is written in the common
 * subset of RE2 (the API server) and java.util.regex (the gateway's standalone loader), so both
 * accept exactly the same values.
 */
public final class Patterns {
  /** An absolute path without query, fragment or whitespace: {@code /orders}, {@code /}. */
  public static final String PATH = "^/[^\\s?#]*$";

  /** A Kubernetes object name (RFC 1123 subdomain), e.g. a targeted Route. */
  public static final String DNS_SUBDOMAIN =
      "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

  /**
   * A route host: a lowercase DNS name as a Host header carries it without port, or a wildcard
   * {@code *.example.com} standing for one or more labels in front of the suffix (as Gateway API
   * hostnames do).
   */
  public static final String HOST =
      "^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

  /** A Service name (RFC 1035 label: starts with a letter). */
  public static final String DNS1035_LABEL = "^[a-z]([-a-z0-9]*[a-z0-9])?$";

  /**
   * A limit name (RFC 1123 label): safe unquoted in metrics labels and quoted in RateLimit
   * structured-field headers.
   */
  public static final String DNS1123_LABEL = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";

  /** An HTTP header field name (RFC 9110 token). */
  public static final String HEADER_NAME = "^[A-Za-z0-9!#$%&'*+.^_`|~-]+$";

  /** A static upstream: scheme, host (name, IPv4 or [IPv6]) and optional port, no path. */
  public static final String ENDPOINT_URL = "^https?://[^/?#\\s@]+$";

  /**
   * A tz database name as the JDK lists them ({@code Europe/Berlin}, {@code
   * America/Argentina/Buenos_Aires}, {@code Etc/GMT+5}, {@code UTC}): refuses fixed offsets such as
   * {@code +01:00}, spaces and empty segments; whether the zone exists is the rulebook's to judge.
   */
  public static final String TIME_ZONE = "^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z][A-Za-z0-9_+-]*)*$";

  private Patterns() {}
}
