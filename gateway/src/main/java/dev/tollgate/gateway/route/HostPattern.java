package dev.tollgate.gateway.route;

import java.util.Locale;

/**
 * One entry of a route's {@code hosts}: an exact name, a wildcard {@code *.example.com} (one or
 * more labels in front of the suffix), or {@link #ANY} when the route lists no hosts.
 */
public record HostPattern(String pattern) {
  public static final HostPattern ANY = new HostPattern("*");

  public static HostPattern of(String host) {
    return new HostPattern(host.toLowerCase(Locale.ROOT));
  }

  public boolean isAny() {
    return pattern.equals("*");
  }

  public boolean isWildcard() {
    return pattern.startsWith("*.");
  }

  /** Exact names before wildcards before any; among wildcards the longer suffix first. */
  public int rank() {
    if (isAny()) {
      return 0;
    }
    return isWildcard() ? 1 : 2;
  }

  /** {@code host} is lower-case, without port and without a trailing dot. */
  public boolean matches(String host) {
    if (isAny()) {
      return true;
    }
    if (isWildcard()) {
      String suffix = pattern.substring(1);
      return host.length() > suffix.length() && host.endsWith(suffix);
    }
    return pattern.equals(host);
  }
}
