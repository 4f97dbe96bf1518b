package dev.tollgate.gateway.proxy;

import dev.tollgate.gateway.pipeline.GatewayExchange;
import io.helidon.common.buffers.DataReader;
import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.OptionalLong;

/**
 * Copies an upstream response to the client: status, end-to-end headers, the stages' response
 * headers, and the body as a stream ({@code Content-Length} kept when the upstream sent one,
 * otherwise chunked). Closing the upstream response after a fully read body returns its connection
 * to the keep-alive pool.
 */
final class ResponseRelay {
  private static final int MAX_BUFFER = 64 * 1024;
  private static final int SMALL_BODY = 16 * 1024;

  private ResponseRelay() {}

  static void relay(GatewayExchange exchange, HttpClientResponse upstream) {
    try (upstream) {
      ServerResponse res = exchange.response();
      res.status(upstream.status());
      Headers headers = upstream.headers();
      HopByHopHeaders hopByHop = HopByHopHeaders.of(headers);
      for (Header header : headers) {
        if (!hopByHop.contains(header.headerName())) {
          res.header(header);
        }
      }
      for (Header header : exchange.responseHeaders()) {
        res.header(header);
      }
      exchange.route().route().filters().responseHeaders().applyTo(res.headers());
      if (!mayHaveBody(exchange.method(), upstream.status().code())) {
        res.send();
        return;
      }
      // Reading to end-of-stream hands the keep-alive connection back to the client's pool. The
      // entity stream is then deliberately not closed: its close() reads on, from a connection
      // that may already serve another request, and took the first byte of that request's
      // response ("Protocol is not HTTP: TTP", about 1 in 3000 requests under concurrency).
      // Closing the response below releases the connection, or closes it if the body was not
      // read to the end.
      InputStream in = upstream.inputStream();
      OptionalLong length = contentLength(headers);
      if (length.isPresent() && length.getAsLong() <= SMALL_BODY) {
        // A small body in one write: cheaper than Helidon's streaming path, and bounded.
        res.send(readSmall(in, (int) length.getAsLong()));
        return;
      }
      try (OutputStream out = res.outputStream()) {
        copy(in, out, length, length.isEmpty() && !headers.contains(HeaderNames.TRANSFER_ENCODING));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Copies to end-of-stream with a buffer no larger than the body: Helidon's client allocates a
   * fresh buffer of the requested size on every read, so {@code transferTo}'s 16 KiB reads made two
   * 16 KiB allocations per 3-byte response (a fifth of the proxy's CPU time in a profile).
   */
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
      // connection (RFC 9112, 6.3; CGI servers such as busybox httpd answer so). Helidon's client
      // reports that end with this exception instead of -1: for such a body it is the end.
      if (!closeDelimited) {
        throw e;
      }
    }
  }

  /** Reads exactly {@code length} bytes, then once more so the connection is released. */
  private static byte[] readSmall(InputStream in, int length) throws IOException {
    byte[] body = in.readNBytes(length);
    if (body.length != length || in.read() != -1) {
      throw new IOException("upstream body does not match its Content-Length");
    }
    return body;
  }

  /**
   * Read directly: {@link Headers#contentLength()} converts through Helidon's global mapper
   * registry, a service lookup that cost 3% of the proxy's CPU time. The client has already framed
   * the body by this value, so it is a valid number here.
   */
  private static OptionalLong contentLength(Headers headers) {
    return headers.contains(HeaderNames.CONTENT_LENGTH)
        ? OptionalLong.of(Long.parseLong(headers.get(HeaderNames.CONTENT_LENGTH).get().trim()))
        : OptionalLong.empty();
  }

  private static boolean mayHaveBody(String method, int status) {
    return !method.equals("HEAD") && status != 204 && status != 304 && status >= 200;
  }
}
