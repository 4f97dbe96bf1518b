package dev.tollgate.gateway.tls;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * Clients calling {@code /orders/1} on the gateway's HTTPS port until stopped, recording every
 * failure: keep-alive clients (JDK {@code HttpClient} to 127.0.0.1, so without SNI: connections
 * opened before a certificate change are used after it) and clients making one new handshake per
 * request with SNI {@code host} (they see each change as soon as it is served).
 */
final class HttpsLoad implements AutoCloseable {
  private final SSLContext client;
  private final int port;
  private final String host;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicInteger sinceMark = new AtomicInteger();
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger handshakes = new AtomicInteger();
  private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
  private final List<Thread> threads = new ArrayList<>();

  private HttpsLoad(SSLContext client, int port, String host) {
    this.client = client;
    this.port = port;
    this.host = host;
  }

  static HttpsLoad start(
      SSLContext client, int port, String host, int keepAliveClients, int handshakeClients) {
    HttpsLoad load = new HttpsLoad(client, port, host);
    for (int i = 0; i < keepAliveClients; i++) {
      HttpClient http =
          HttpClient.newBuilder()
              .sslContext(client)
              .version(HttpClient.Version.HTTP_1_1)
              .connectTimeout(Duration.ofSeconds(10))
              .build();
      load.threads.add(Thread.ofVirtual().start(() -> load.keepAliveLoop(http)));
    }
    for (int i = 0; i < handshakeClients; i++) {
      load.threads.add(Thread.ofVirtual().start(load::handshakeLoop));
    }
    return load;
  }

  /** Waits until {@code count} requests succeeded since the last call. */
  void awaitServed(int count) {
    await().atMost(Duration.ofSeconds(30)).until(() -> sinceMark.get() >= count);
    sinceMark.set(0);
  }

  /** Stops the clients and waits for their last requests. */
  @Override
  public void close() throws InterruptedException {
    running.set(false);
    for (Thread thread : threads) {
      thread.join(Duration.ofSeconds(30));
    }
  }

  /** What the clients did, for the test's output. */
  String summary() {
    return String.format(
        "%d requests served (%d on new handshakes), %d failed",
        requests.get(), handshakes.get(), failures.size());
  }

  List<String> failures() {
    return List.copyOf(failures);
  }

  private void served() {
    sinceMark.incrementAndGet();
    requests.incrementAndGet();
  }

  private void keepAliveLoop(HttpClient http) {
    URI uri = URI.create("https://127.0.0.1:" + port + "/orders/1");
    while (running.get()) {
      try {
        HttpResponse<String> response =
            http.send(
                HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          served();
        } else {
          failures.add("status " + response.statusCode());
        }
      } catch (IOException e) {
        failures.add("keep-alive client: " + e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void handshakeLoop() {
    while (running.get()) {
      try (SSLSocket socket = TlsClients.connect(client, port, host)) {
        String response = TlsClients.get(socket, host, "close");
        if (response.startsWith("HTTP/1.1 200")) {
          served();
          handshakes.incrementAndGet();
        } else {
          failures.add(response.lines().findFirst().orElse("empty response"));
        }
      } catch (IOException e) {
        failures.add("new handshake: " + e);
      }
    }
  }
}
