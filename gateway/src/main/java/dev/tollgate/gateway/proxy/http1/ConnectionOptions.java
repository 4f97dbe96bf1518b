package dev.tollgate.gateway.proxy.http1;

import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The connection options a message's {@code Connection} header lists (RFC 9110, 7.6.1): {@code
 * close}, {@code keep-alive}, and the names of the other headers that describe only this
 * connection. One reading for the exchange (is the connection closed after this response?) and the
 * relay (which headers are not forwarded?).
 */
public final class ConnectionOptions {
  private ConnectionOptions() {}

  /**
   * The options in lower case, in order, empty list elements dropped (RFC 9110, 5.6.1); an empty
   * list without a {@code Connection} header. Values are read with {@code allValues()}: Helidon's
   * {@code values()} splits them through a stream per call.
   */
  public static List<String> of(Headers headers) {
    if (!headers.contains(HeaderNames.CONNECTION)) {
      return List.of();
    }
    List<String> options = new ArrayList<>(2);
    for (String value : headers.get(HeaderNames.CONNECTION).allValues()) {
      int start = 0;
      while (start <= value.length()) {
        int comma = value.indexOf(',', start);
        int end = comma < 0 ? value.length() : comma;
        String option = value.substring(start, end).strip().toLowerCase(Locale.ROOT);
        if (!option.isEmpty()) {
          options.add(option);
        }
        start = end + 1;
      }
    }
    return options;
  }
}
