package dev.tollgate.e2e.cluster;

import dev.tollgate.testkit.LoopbackHttp;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.IntStream;

/**
 * HTTP requests to the gateways in the cluster (testkit's shared JDK client, which serves pod and
 * Service IPs as well as loopback): single ones, a burst of concurrent ones, and background load
 * that counts what it got. A request that fails without an answer (refused, reset, timed out)
 * counts as status {@value #NO_ANSWER}.
 */
final class Traffic {
  static final int NO_ANSWER = -1;
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(20);

  private static final HttpClient CLIENT = LoopbackHttp.client();

  private Traffic() {}

  static HttpResponse<String> get(URI uri, String... headers) {
    return LoopbackHttp.send(request(uri, headers));
  }

  /**
   * {@code count} requests sent at once; status to how many. HTTP/1.1 carries one request at a time
   * per connection, so they go out on {@code count} connections.
   */
  static Map<Integer, Long> burst(URI uri, int count) {
    List<CompletableFuture<Integer>> answers =
        IntStream.range(0, count)
            .mapToObj(
                i ->
                    CLIENT
                        .sendAsync(request(uri), HttpResponse.BodyHandlers.discarding())
                        .thenApply(HttpResponse::statusCode)
                        .exceptionally(failure -> NO_ANSWER))
            .toList();
    Map<Integer, Long> statuses = new TreeMap<>();
    answers.forEach(answer -> statuses.merge(answer.join(), 1L, Long::sum));
    return statuses;
  }

  private static HttpRequest request(URI uri, String... headers) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT).GET();
    if (headers.length > 0) {
      builder.headers(headers);
    }
    return builder.build();
  }

  /** Requests sent back to back by {@code clients} virtual threads until {@link #stop}. */
  static final class Load implements AutoCloseable {
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
    private final List<Thread> clients;
    private final long startedNanos = System.nanoTime();
    private long stoppedNanos;

    Load(URI uri, int clients, String... headers) {
      this.clients =
          IntStream.range(0, clients)
              .mapToObj(i -> Thread.ofVirtual().start(() -> run(uri, headers)))
              .toList();
    }

    private void run(URI uri, String... headers) {
      while (running.get()) {
        int status;
        try {
          status =
              CLIENT
                  .send(request(uri, headers), HttpResponse.BodyHandlers.discarding())
                  .statusCode();
        } catch (IOException e) {
          status = NO_ANSWER;
        } catch (InterruptedException e) {
          return;
        }
        statuses.computeIfAbsent(status, s -> new LongAdder()).increment();
      }
    }

    /** Status to how many so far. */
    Map<Integer, Long> counts() {
      Map<Integer, Long> counts = new TreeMap<>();
      statuses.forEach((status, count) -> counts.put(status, count.sum()));
      return counts;
    }

    long total() {
      return counts().values().stream().mapToLong(Long::longValue).sum();
    }

    /** Stops sending, waits for the requests under way, and returns status to how many. */
    Map<Integer, Long> stop() {
      if (running.getAndSet(false)) {
        for (Thread client : clients) {
          try {
            client.join(REQUEST_TIMEOUT.multipliedBy(2));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        stoppedNanos = System.nanoTime();
      }
      return counts();
    }

    /** From start to {@link #stop}. */
    Duration elapsed() {
      return Duration.ofNanos(stoppedNanos - startedNanos);
    }

    @Override
    public void close() {
      stop();
    }
  }
}
