package dev.tollgate.gateway.proxy;

import dev.tollgate.gateway.edge.ClientConnections;
import dev.tollgate.gateway.edge.ClientProtocol;
import dev.tollgate.gateway.problem.GatewayProblems;
import io.helidon.webserver.http.ServerRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.io.UncheckedIOException;
import java.time.Duration;

/**
 * The client's request body as forwarded upstream, or none. HTTP/1 says up front whether a body
 * follows ({@code Content-Length} or {@code Transfer-Encoding}). HTTP/2 may not: a request without
 * {@code Content-Length} has a body exactly when its HEADERS frame did not end the stream, which
 * Helidon 4.3 does not expose (its HTTP/2 requests always claim an entity), so the first byte is
 * read to find out. Without this, every HTTP/2 GET would go upstream with an empty chunked body and
 * never be retried. A stream without a body whose {@code Content-Length} promises one is refused:
 * the length is forwarded, and the upstream would take the next request on its connection as the
 * body.
 */
final class RequestBody {
  private static final RequestBody NONE = new RequestBody(null);

  private final InputStream stream;

  private RequestBody(InputStream stream) {
    this.stream = stream;
  }

  /** Opens the body, each read of it bounded by {@code bodyTimeout}. */
  static RequestBody open(ServerRequest request, Duration bodyTimeout) {
    if (!request.content().hasEntity()) {
      return NONE;
    }
    InputStream body = ClientConnections.watchBody(request.content().inputStream(), bodyTimeout);
    if (ClientProtocol.of(request) == ClientProtocol.HTTP_1) {
      return new RequestBody(body);
    }
    try {
      PushbackInputStream peeked = new PushbackInputStream(body, 1);
      int first = peeked.read();
      if (first < 0) {
        long declared = request.headers().contentLength().orElse(0);
        if (declared > 0) {
          throw new GatewayProblems.MissingBody(declared);
        }
        return NONE;
      }
      peeked.unread(first);
      return new RequestBody(peeked);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  boolean present() {
    return stream != null;
  }

  /** The body; only when {@link #present()}. */
  InputStream stream() {
    return stream;
  }
}
