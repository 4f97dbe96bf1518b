package dev.tollgate.gateway.proxy;

import dev.tollgate.gateway.pipeline.GatewayExchange;
import io.helidon.http.Header;
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
  private static final int BUFFER_SIZE = 16 * 1024;

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
      if (!mayHaveBody(exchange.method(), upstream.status().code())) {
        res.send();
        return;
      }
      // The entity stream is deliberately not closed: closing it drains it, which reads from a
      // connection that may already be back in the pool (see copy). Closing the response below
      // releases or closes the connection.
      InputStream in = upstream.inputStream();
      try (OutputStream out = res.outputStream()) {
        copy(in, out, headers.contentLength());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Copies the body; with a known length it stops after the last byte instead of reading on to
   * end-of-stream. Helidon's client hands the keep-alive connection back to its pool as soon as the
   * last byte is read, and one more read on the finished entity stream can then take the first byte
   * of the next response on that connection (seen as "Protocol is not HTTP: TTP" on another
   * request, about 1 in 3000 under concurrency).
   */
  private static void copy(InputStream in, OutputStream out, OptionalLong length)
      throws IOException {
    if (length.isEmpty()) {
      in.transferTo(out);
      return;
    }
    byte[] buffer = new byte[BUFFER_SIZE];
    long remaining = length.getAsLong();
    while (remaining > 0) {
      int n = in.read(buffer, 0, (int) Math.min(buffer.length, remaining));
      if (n < 0) {
        break;
      }
      out.write(buffer, 0, n);
      remaining -= n;
    }
  }

  private static boolean mayHaveBody(String method, int status) {
    return !method.equals("HEAD") && status != 204 && status != 304 && status >= 200;
  }
}
