package dev.tollgate.gateway.proxy.http1;

import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import java.util.List;

/**
 * How a response's body is delimited and whether its connection may carry another request (RFC
 * 9112, 6.3 and 9.3).
 *
 * @param kind how the body ends
 * @param length the body's size for {@link Kind#LENGTH}
 * @param reusable whether the connection may be reused once the body was read to its end
 */
record BodyFraming(Kind kind, long length, boolean reusable) {
  enum Kind {
    /** No body: a response to HEAD, a 204 or a 304. */
    NONE,
    /** Exactly {@code length} bytes ({@code Content-Length}). */
    LENGTH,
    /** {@code Transfer-Encoding: chunked}. */
    CHUNKED,
    /** Everything until the upstream closes the connection. */
    UNTIL_CLOSE
  }

  /**
   * @param head a final response's head (status 2xx to 5xx)
   * @throws MalformedResponseException for a {@code Content-Length} that is not one non-negative
   *     number (differing values smuggle a second response into the first one's body), or a {@code
   *     Transfer-Encoding} other than {@code chunked}
   */
  static BodyFraming of(String method, ResponseHead head) throws MalformedResponseException {
    Headers headers = head.headers();
    boolean keepAlive = !head.http10() && !ConnectionOptions.of(headers).contains("close");
    int status = head.status();
    if (method.equals("HEAD") || status == 204 || status == 304) {
      return new BodyFraming(Kind.NONE, 0, keepAlive);
    }
    if (headers.contains(HeaderNames.TRANSFER_ENCODING)) {
      // Only chunked alone: Transfer-Encoding is hop-by-hop, so a coding the gateway does not
      // decode (gzip, chunked) would reach the client with nothing saying how the body is coded
      // (RFC 9112, 6.1; nginx refuses such answers too). A Content-Length beside chunked is
      // ignored, and the connection is not trusted again (6.3).
      if (!onlyChunked(headers)) {
        throw new MalformedResponseException("a transfer coding other than chunked");
      }
      boolean alone = !headers.contains(HeaderNames.CONTENT_LENGTH);
      return new BodyFraming(Kind.CHUNKED, -1, keepAlive && alone);
    }
    if (headers.contains(HeaderNames.CONTENT_LENGTH)) {
      return new BodyFraming(Kind.LENGTH, contentLength(headers), keepAlive);
    }
    return new BodyFraming(Kind.UNTIL_CLOSE, -1, false);
  }

  /**
   * {@code Content-Length}, or -1 without one; repeated values (also as a list) must all be the
   * same number. Field values are read with {@code allValues()}: Helidon's {@code values()} splits
   * them through a stream per call, 2% of the proxy's CPU time for one {@code Connection} header.
   */
  static long contentLength(Headers headers) throws MalformedResponseException {
    if (!headers.contains(HeaderNames.CONTENT_LENGTH)) {
      return -1;
    }
    long length = -1;
    for (String value : headers.get(HeaderNames.CONTENT_LENGTH).allValues()) {
      for (String item : value.split(",", -1)) {
        long parsed = digits(item.strip());
        if (parsed < 0 || (length >= 0 && parsed != length)) {
          throw new MalformedResponseException("invalid Content-Length: " + value);
        }
        length = parsed;
      }
    }
    return length;
  }

  private static long digits(String value) {
    if (value.isEmpty() || value.length() > 18) {
      return -1;
    }
    long n = 0;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      n = n * 10 + (c - '0');
    }
    return n;
  }

  private static boolean onlyChunked(Headers headers) {
    List<String> values = headers.get(HeaderNames.TRANSFER_ENCODING).allValues();
    return values.size() == 1 && values.getFirst().strip().equalsIgnoreCase("chunked");
  }
}
