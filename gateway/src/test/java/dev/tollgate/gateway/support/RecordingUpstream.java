package dev.tollgate.gateway.support;

import io.helidon.http.Header;
import io.helidon.http.Status;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real upstream that records what reached it: every request's method, path, headers and whether
 * its body arrived whole. Requests to paths under {@code /hold} wait until {@link #release()}, so a
 * test can keep requests in flight.
 */
public final class RecordingUpstream implements AutoCloseable {
  /** One request as the upstream saw it; {@code complete} is false when its body broke off. */
  public record Seen(
      String method,
      String path,
      Map<String, List<String>> headers,
      long bodyBytes,
      boolean complete) {
    public String header(String name) {
      List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
      return values == null ? null : String.join(", ", values);
    }
  }

  private final ConcurrentLinkedQueue<Seen> seen = new ConcurrentLinkedQueue<>();
  private final AtomicInteger holding = new AtomicInteger();
  private volatile CountDownLatch released = new CountDownLatch(1);
  private final TestUpstream server;

  public RecordingUpstream() {
    this.server =
        TestUpstream.start(
            "recording",
            (req, res) -> {
              Map<String, List<String>> headers = new HashMap<>();
              for (Header header : req.headers()) {
                headers
                    .computeIfAbsent(header.name().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .addAll(header.allValues());
              }
              long bytes = 0;
              boolean complete = true;
              if (req.content().hasEntity()) {
                try (InputStream in = req.content().inputStream()) {
                  bytes = in.transferTo(OutputStream.nullOutputStream());
                } catch (IOException | RuntimeException e) {
                  complete = false;
                }
              }
              String path = req.prologue().uriPath().rawPath();
              seen.add(new Seen(req.prologue().method().text(), path, headers, bytes, complete));
              if (path.startsWith("/hold")) {
                holding.incrementAndGet();
                try {
                  released.await(60, TimeUnit.SECONDS);
                } finally {
                  holding.decrementAndGet();
                }
              }
              if (!complete) {
                res.status(Status.BAD_REQUEST_400).send();
                return;
              }
              res.send("seen " + path);
            });
  }

  public String url() {
    return server.url();
  }

  public int port() {
    return server.port();
  }

  public List<Seen> seen() {
    return List.copyOf(seen);
  }

  /** Requests whose body (if any) arrived whole. */
  public List<Seen> complete() {
    return seen.stream().filter(Seen::complete).toList();
  }

  /** The last request seen with this path. */
  public Seen last(String path) {
    return seen.stream()
        .filter(s -> s.path().equals(path))
        .reduce((a, b) -> b)
        .orElseThrow(() -> new AssertionError("the upstream never saw " + path));
  }

  /** Requests under {@code /hold} waiting for {@link #release()}. */
  public int holding() {
    return holding.get();
  }

  public void release() {
    released.countDown();
    released = new CountDownLatch(1);
  }

  public void reset() {
    release();
    seen.clear();
  }

  @Override
  public void close() {
    released.countDown();
    server.close();
  }
}
