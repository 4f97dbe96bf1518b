package dev.tollgate.e2e.system;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP upstream on a free loopback port (the JDK's server: nothing shared with the gateway's
 * Helidon), answering every request with {@code 200 upstream <path>} and counting what reached it.
 */
final class Upstream implements AutoCloseable {
  static final String BODY_PREFIX = "upstream ";

  private final HttpServer server;
  private final AtomicInteger hits = new AtomicInteger();

  private Upstream(HttpServer server) {
    this.server = server;
  }

  static Upstream start() {
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
      Upstream upstream = new Upstream(server);
      server.createContext(
          "/",
          exchange -> {
            upstream.hits.incrementAndGet();
            exchange.getRequestBody().transferTo(java.io.OutputStream.nullOutputStream());
            byte[] body =
                (BODY_PREFIX + exchange.getRequestURI().getRawPath())
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
          });
      server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
      server.start();
      return upstream;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the upstream", e);
    }
  }

  int port() {
    return server.getAddress().getPort();
  }

  int hits() {
    return hits.get();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
