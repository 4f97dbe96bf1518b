package dev.tollgate.gateway.proxy;

import dev.tollgate.gateway.edge.ClientProtocol;
import dev.tollgate.gateway.pipeline.GatewayExchange;
import io.helidon.common.buffers.DataReader;
import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
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
 * headers, and the body as a stream ({@code Content-Length}, as one number, when the upstream sent
 * one, otherwise chunked). The caller closes the upstream response afterwards: the body read to its
 * end has returned the connection to the keep-alive pool by then.
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
        // The length is set below from the parsed number, never copied: an upstream may repeat
        // it (5, 5), which must reach the client as one value (RFC 9110, 8.6); beside
        // Transfer-Encoding it does not frame the body at all (RFC 9112, 6.3).
        if (!header.headerName().equals(HeaderNames.CONTENT_LENGTH)
            && !hopByHop.contains(header.headerName())) {
          res.header(header);
        }
      }
      for (Header header : exchange.responseHeaders()) {
        res.header(header);
      }
      exchange.route().route().filters().responseHeaders().applyTo(res.headers());
      OptionalLong length = chunked ? OptionalLong.empty() : contentLength(headers);
      if (!mayHaveBody(exchange.method(), status)) {
        // An answer to HEAD tells the length of what GET would send. On 204 and 304 Helidon's
        // HTTP/1 response sets the length itself and turns any other into a 500 without a body
        // (RFC 9110 8.6 lets a 304 carry the representation's length, and upstreams do).
        if (status != 204 && status != 304) {
          length.ifPresent(n -> res.header(HeaderNames.CONTENT_LENGTH, Long.toString(n)));
        }
        res.send();
        return;
      }
      if (length.isPresent() && length.getAsLong() <= SMALL_BODY) {
        // A small body in one write: cheaper than Helidon's streaming path, and bounded.
        res.send(readSmall(body, (int) length.getAsLong()));
        return;
      }
      if (length.isPresent()) {
        res.header(HeaderNames.CONTENT_LENGTH, Long.toString(length.getAsLong()));
      } else if (asksForTrailers(exchange)) {
        // Helidon's HTTP/1 stream sends a body that fits its first buffer with a Content-Length,
        // yet still appends the trailer section a "TE: trailers" request enables: bytes after the
        // body that the client reads as the next response. Chunked framing carries them.
        res.header(HeaderValues.TRANSFER_ENCODING_CHUNKED);
      }
      try (OutputStream out = res.outputStream()) {
        copy(body, out, length, length.isEmpty() && !chunked);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean asksForTrailers(GatewayExchange exchange) {
    return ClientProtocol.of(exchange.request()) == ClientProtocol.HTTP_1
        && exchange.request().headers().contains(HeaderValues.TE_TRAILERS);
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
   * registry, a service lookup that cost 3% of the proxy's CPU time. Where a body follows, the
   * upstream exchange has already framed it by this value, so it is a valid number (in a list, the
   * first of equal values); on an answer without a body (HEAD, 204, 304) nothing checked it, and a
   * value that is not a number is left out.
   */
  private static OptionalLong contentLength(Headers headers) {
    if (!headers.contains(HeaderNames.CONTENT_LENGTH)) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(
          Long.parseLong(firstItem(headers.get(HeaderNames.CONTENT_LENGTH).get())));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  private static String firstItem(String value) {
    int comma = value.indexOf(',');
    return (comma < 0 ? value : value.substring(0, comma)).strip();
  }

  private static boolean mayHaveBody(String method, int status) {
    return !method.equals("HEAD") && status != 204 && status != 304 && status >= 200;
  }
}
