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

/**
 * Copies an upstream response to the client: status, end-to-end headers, the stages' response
 * headers, and the body as a stream ({@code Content-Length} kept when the upstream sent one,
 * otherwise chunked). Closing the upstream response after a fully read body returns its connection
 * to the keep-alive pool.
 */
final class ResponseRelay {
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
      try (InputStream in = upstream.inputStream();
          OutputStream out = res.outputStream()) {
        in.transferTo(out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean mayHaveBody(String method, int status) {
    return !method.equals("HEAD") && status != 204 && status != 304 && status >= 200;
  }
}
