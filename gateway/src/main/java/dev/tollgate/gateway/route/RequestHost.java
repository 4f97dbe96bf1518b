package dev.tollgate.gateway.route;

import java.util.Locale;

/** Extracts the comparable host name from an authority ({@code Host} header). */
public final class RequestHost {
  private RequestHost() {}

  /**
   * {@code API.Example.com:8080} → {@code api.example.com}; {@code [::1]:80} → {@code [::1]}; a
   * trailing dot (fully qualified form) is dropped so {@code example.com.} matches {@code
   * example.com}.
   */
  public static String of(String authority) {
    if (authority == null || authority.isEmpty()) {
      return "";
    }
    String host = authority;
    if (host.startsWith("[")) {
      int end = host.indexOf(']');
      host = end > 0 ? host.substring(0, end + 1) : host;
    } else {
      int colon = host.lastIndexOf(':');
      if (colon >= 0) {
        host = host.substring(0, colon);
      }
    }
    if (host.endsWith(".")) {
      host = host.substring(0, host.length() - 1);
    }
    return host.toLowerCase(Locale.ROOT);
  }
}
