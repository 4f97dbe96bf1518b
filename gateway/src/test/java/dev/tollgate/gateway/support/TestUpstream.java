package dev.tollgate.gateway.support;

import io.helidon.http.Header;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.Handler;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real upstream HTTP server on a free loopback port. The default handler echoes what it received
 * (see {@link Echo}); tests can pass their own handler for slow, failing or large responses. Counts
 * the requests that reached it.
 */
public final class TestUpstream implements AutoCloseable {
  private final String name;
  private final WebServer server;
  private final AtomicInteger hits;

  private TestUpstream(String name, WebServer server, AtomicInteger hits) {
    this.name = name;
    this.server = server;
    this.hits = hits;
  }

  public static TestUpstream echo(String name) {
    return start(name, echoHandler(name));
  }

  public static TestUpstream start(String name, Handler handler) {
    AtomicInteger hits = new AtomicInteger();
    WebServer server =
        WebServer.builder()
            .host("127.0.0.1")
            .port(0)
            .featuresDiscoverServices(false)
            .shutdownGracePeriod(java.time.Duration.ofMillis(100))
            .routing(
                r ->
                    r.any(
                        (req, res) -> {
                          hits.incrementAndGet();
                          handler.handle(req, res);
                        }))
            .build()
            .start();
    return new TestUpstream(name, server, hits);
  }

  /**
   * An upstream answering {@code /big...} with {@code bytes} (a multiple of 64 KiB) of zeros, with
   * their length, written as the client takes them, and anything else with {@code small}.
   */
  public static TestUpstream largeBodies(int bytes) {
    byte[] chunk = new byte[64 * 1024];
    return start(
        "big",
        (req, res) -> {
          if (req.path().path().startsWith("/big")) {
            res.header("Content-Length", Integer.toString(bytes));
            try (OutputStream out = res.outputStream()) {
              for (int i = 0; i < bytes / chunk.length; i++) {
                out.write(chunk);
              }
            }
          } else {
            res.send("small");
          }
        });
  }

  public static Handler echoHandler(String name) {
    return (req, res) -> {
      long bodyBytes =
          req.content().hasEntity()
              ? req.content().inputStream().transferTo(java.io.OutputStream.nullOutputStream())
              : 0;
      StringBuilder body = new StringBuilder();
      String query = req.query().rawValue();
      body.append("upstream: ").append(name).append('\n');
      body.append("request: ")
          .append(req.prologue().method().text())
          .append(' ')
          .append(req.prologue().uriPath().rawPath())
          .append(query.isEmpty() ? "" : "?" + query)
          .append('\n');
      body.append("body-bytes: ").append(bodyBytes).append('\n');
      for (Header header : req.headers()) {
        for (String value : header.allValues()) {
          body.append("header ")
              .append(header.name().toLowerCase(Locale.ROOT))
              .append(": ")
              .append(value)
              .append('\n');
        }
      }
      res.send(body.toString().getBytes(StandardCharsets.UTF_8));
    };
  }

  public String name() {
    return name;
  }

  public int port() {
    return server.port();
  }

  /** {@code http://127.0.0.1:<port>}. */
  public String url() {
    return "http://127.0.0.1:" + port();
  }

  public int hits() {
    return hits.get();
  }

  public void resetHits() {
    hits.set(0);
  }

  public void stop() {
    server.stop();
  }

  @Override
  public void close() {
    if (server.isRunning()) {
      server.stop();
    }
  }
}
