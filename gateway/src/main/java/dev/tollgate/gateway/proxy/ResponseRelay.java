package dev.tollgate.gateway.proxy;

import dev.tollgate.gateway.pipeline.GatewayExchange;
import io.helidon.common.buffers.DataReader;
import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.OptionalLong;

/**
 * Copies an upstream response to the client: status, end-to-end headers, the stages' response
 * headers, and the body as a stream ({@code Content-Length} kept when the upstream sent one,
 * otherwise chunked). The caller closes the upstream response afterwards: the body read to its end
 * has returned the connection to the keep-alive pool by then.
 */
final class ResponseRelay {
  private static final int MAX_BUFFER = 64 * 1024;
  private static final int SMALL_BODY = 16 * 1024;

  private ResponseRelay() {}

  static void relay(GatewayExchange exchange, int status, Headers headers, InputStream body) {
    try {
      ServerResponse res = exchange.response();
      res.status(Status.create(status));
      HopByHopHeaders hopByHop = HopByHopHeaders.of(headers);
      boolean chunked = headers.contains(HeaderNames.TRANSFER_ENCODING);
      for (Header header : headers) {
        // beside Transfer-Encoding, a Content-Length does not frame the body (RFC 9112, 6.3)
        boolean framing = chunked && header.headerName().equals(HeaderNames.CONTENT_LENGTH);
        if (!framing && !hopByHop.contains(header.headerName())) {
          res.header(header);
        }
      }
      for (Header header : exchange.responseHeaders()) {
        res.header(header);
      }
      exchange.route().route().filters().responseHeaders().applyTo(res.headers());
      if (!mayHaveBody(exchange.method(), status)) {
        res.send();
        return;
      }
      OptionalLong length = chunked ? OptionalLong.empty() : contentLength(headers);
      if (length.isPresent() && length.getAsLong() <= SMALL_BODY) {
        // A small body in one write: cheaper than Helidon's streaming path, and bounded.
        res.send(readSmall(body, (int) length.getAsLong()));
        return;
      }
      try (OutputStream out = res.outputStream()) {
        copy(body, out, length, length.isEmpty() && !chunked);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Copies to end-of-stream with a buffer no larger than the body (many bodies are tiny). */
  private static void copy(
      InputStream in, OutputStream out, OptionalLong length, boolean closeDelimited)
      throws IOException {
    int size = (int) Math.clamp(length.orElse(MAX_BUFFER), 1, MAX_BUFFER);
    byte[] buffer = new byte[size];
    int n;
    try {
      while ((n = in.read(buffer, 0, size)) >= 0) {
        out.write(buffer, 0, n);
      }
    } catch (DataReader.InsufficientDataAvailableException e) {
      // A body without Content-Length or chunked encoding ends when the upstream closes the
      // connection (RFC 9112, 6.3). Helidon's client (which relays refused upgrades) reports that
      // end with this exception instead of -1: for such a body it is the end.
      if (!closeDelimited) {
        throw e;
      }
    }
  }

  /** Reads exactly {@code length} bytes; the upstream framed the body by that length. */
  private static byte[] readSmall(InputStream in, int length) throws IOException {
    byte[] body = in.readNBytes(length);
    if (body.length != length) {
      throw new IOException("upstream body shorter than its Content-Length");
    }
    return body;
  }

  /**
   * Read directly: {@link Headers#contentLength()} converts through Helidon's global mapper
   * registry, a service lookup that cost 3% of the proxy's CPU time. The upstream exchange has
   * already framed the body by this value, so it is a valid number here (in a list, the first of
   * equal values).
   */
  private static OptionalLong contentLength(Headers headers) {
    return headers.contains(HeaderNames.CONTENT_LENGTH)
        ? OptionalLong.of(Long.parseLong(firstItem(headers.get(HeaderNames.CONTENT_LENGTH).get())))
        : OptionalLong.empty();
  }

  private static String firstItem(String value) {
    int comma = value.indexOf(',');
    return (comma < 0 ? value : value.substring(0, comma)).strip();
  }

  private static boolean mayHaveBody(String method, int status) {
    return !method.equals("HEAD") && status != 204 && status != 304 && status >= 200;
  }
}
