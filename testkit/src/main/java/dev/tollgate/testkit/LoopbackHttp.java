package dev.tollgate.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Blocking HTTP/1.1 requests from tests to servers on 127.0.0.1, through the JDK client (an
 * implementation independent of the gateway's Helidon client and server). One shared client keeps
 * connections alive across calls; it is safe to use from many threads.
 */
public final class LoopbackHttp {
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(20);
  private static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private LoopbackHttp() {}

  public static HttpClient client() {
    return CLIENT;
  }

  /** {@code GET http://127.0.0.1:<port><pathAndQuery>}; I/O failures are unchecked. */
  public static HttpResponse<String> get(int port, String pathAndQuery) {
    return send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
            .timeout(REQUEST_TIMEOUT)
            .build());
  }

  public static HttpResponse<String> send(HttpRequest request) {
    try {
      return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for " + request.uri(), e);
    }
  }
}
