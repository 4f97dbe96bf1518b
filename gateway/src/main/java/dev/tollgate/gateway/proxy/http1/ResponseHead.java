package dev.tollgate.gateway.proxy.http1;

import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.WritableHeaders;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * A final response's status line and header fields, parsed in place from the connection's buffer
 * (RFC 9112, 4 and 5). Interim 1xx responses are read and dropped: the gateway never asks for
 * {@code 100-continue}, and early hints are not relayed. A {@code 101} is refused: this exchange
 * never asks for an upgrade (WebSocket handshakes go through {@code TunnelConnections}), and after
 * one the connection would no longer speak HTTP/1.1. Also refused as malformed: a status line that
 * is not {@code HTTP/1.x NNN}, a field line without a colon or with space before it, obsolete line
 * folding, and control characters in a value.
 *
 * @param status the status code
 * @param http10 whether the upstream answered as HTTP/1.0 (its connection is not reused)
 * @param headers the fields, names as the upstream spelled them
 */
record ResponseHead(int status, boolean http10, WritableHeaders<?> headers) {
  /** An upstream could otherwise keep a request waiting with an endless run of 1xx heads. */
  private static final int MAX_INTERIM_RESPONSES = 8;

  private static final byte[] VERSION = "HTTP/1.".getBytes(StandardCharsets.US_ASCII);

  /**
   * @param maxHeadSize bound on the bytes of one head, status line included
   */
  static ResponseHead read(WireInput input, int maxHeadSize) throws IOException {
    for (int interim = 0; interim <= MAX_INTERIM_RESPONSES; interim++) {
      ResponseHead head = readOne(input, maxHeadSize);
      if (head.status() == 101) {
        throw new MalformedResponseException(
            "101 Switching Protocols, but no upgrade was asked for");
      }
      if (head.status() >= 200) {
        return head;
      }
    }
    throw new MalformedResponseException("more than " + MAX_INTERIM_RESPONSES + " 1xx responses");
  }

  private static ResponseHead readOne(WireInput input, int maxHeadSize) throws IOException {
    int[] start = new int[1];
    byte[] buffer = input.buffer();
    int end = input.line(start);
    int size = end - start[0] + 2;
    int from = start[0];
    if (end - from < 12 || !startsWith(buffer, from, VERSION) || buffer[from + 8] != ' ') {
      throw new MalformedResponseException("not an HTTP/1.x status line");
    }
    int minor = buffer[from + 7] - '0';
    int status =
        digit(buffer[from + 9]) * 100 + digit(buffer[from + 10]) * 10 + digit(buffer[from + 11]);
    if (minor < 0 || minor > 1 || status < 100 || (end - from > 12 && buffer[from + 12] != ' ')) {
      throw new MalformedResponseException("not an HTTP/1.x status line");
    }
    WritableHeaders<?> headers = WritableHeaders.create();
    while (true) {
      end = input.line(start);
      size += end - start[0] + 2;
      if (size > maxHeadSize) {
        throw new HeadTooLargeException(maxHeadSize);
      }
      if (end == start[0]) {
        return new ResponseHead(status, minor == 0, headers);
      }
      field(buffer, start[0], end, headers);
    }
  }

  private static void field(byte[] buffer, int from, int end, WritableHeaders<?> headers)
      throws MalformedResponseException {
    if (buffer[from] == ' ' || buffer[from] == '\t') {
      throw new MalformedResponseException("obsolete line folding in a response header");
    }
    int colon = from;
    while (colon < end && buffer[colon] != ':') {
      if (!HeadChars.isTokenChar(buffer[colon])) {
        throw new MalformedResponseException("invalid character in a response header name");
      }
      colon++;
    }
    if (colon == end || colon == from) {
      throw new MalformedResponseException("response header line without a name and colon");
    }
    int valueStart = colon + 1;
    int valueEnd = end;
    while (valueStart < valueEnd && isSpace(buffer[valueStart])) {
      valueStart++;
    }
    while (valueEnd > valueStart && isSpace(buffer[valueEnd - 1])) {
      valueEnd--;
    }
    for (int i = valueStart; i < valueEnd; i++) {
      byte b = buffer[i];
      if ((b >= 0 && b < 0x20 && b != '\t') || b == 0x7f) {
        throw new MalformedResponseException("control character in a response header value");
      }
    }
    String name = new String(buffer, from, colon - from, StandardCharsets.ISO_8859_1);
    String value =
        new String(buffer, valueStart, valueEnd - valueStart, StandardCharsets.ISO_8859_1);
    headers.add(HeaderValues.create(HeaderNames.create(name), value));
  }

  private static boolean isSpace(byte b) {
    return b == ' ' || b == '\t';
  }

  private static int digit(byte b) {
    return b >= '0' && b <= '9' ? b - '0' : -1000;
  }

  private static boolean startsWith(byte[] buffer, int from, byte[] prefix) {
    for (int i = 0; i < prefix.length; i++) {
      if (buffer[from + i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }
}
