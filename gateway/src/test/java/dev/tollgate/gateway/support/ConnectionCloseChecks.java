package dev.tollgate.gateway.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

/**
 * What a listener, plain or TLS, must do around a response that announces {@code Connection:
 * close}, checked on a connection the caller opened to a gateway that routes {@code path} to {@code
 * upstream} and nothing else: the connection ends after that response, and nothing the client sent
 * after it is served. Keep-alive timeouts in these tests are long, so a prompt close is the
 * gateway's doing.
 */
public final class ConnectionCloseChecks {
  public static final Duration PROMPTLY = Duration.ofSeconds(3);

  private ConnectionCloseChecks() {}

  /**
   * A request refused before its body is read (no route) is answered with {@code Connection:
   * close}, and its body, itself a request for {@code path}, is never served.
   */
  public static void aRefusedBodyIsNeverServed(
      RawConnection client, String host, String path, TestUpstream upstream) {
    String smuggled = "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n";
    client.send(
        "POST /nowhere HTTP/1.1\r\nHost: "
            + host
            + "\r\nContent-Length: "
            + smuggled.length()
            + "\r\n\r\n"
            + smuggled);
    RawHttp.Response refused = client.readResponse(PROMPTLY);
    assertThat(refused.status()).isEqualTo(404);
    assertThat(refused.text()).containsIgnoringCase("Connection: close");
    assertThat(client.awaitClose(PROMPTLY)).as("closed after the problem").isPresent();
    assertThat(client.received()).as("one response only").containsOnlyOnce("HTTP/1.1 ");
    await()
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(2))
        .until(() -> upstream.hits() == 0);
  }

  /**
   * A request for {@code path} that asks to be the last is served and closes the connection; the
   * request pipelined behind it is not served.
   */
  public static void nothingAfterTheLastIsServed(
      RawConnection client, String host, String path, TestUpstream upstream) {
    client.send(
        "GET "
            + path
            + " HTTP/1.1\r\nHost: "
            + host
            + "\r\nConnection: close\r\n\r\n"
            + "GET "
            + path
            + " HTTP/1.1\r\nHost: "
            + host
            + "\r\n\r\n");
    RawHttp.Response response = client.readResponse(PROMPTLY);
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.text()).containsIgnoringCase("Connection: close");
    assertThat(client.awaitClose(PROMPTLY)).as("closed after the response").isPresent();
    assertThat(client.received()).as("one response only").containsOnlyOnce("HTTP/1.1 ");
    assertThat(upstream.hits()).isEqualTo(1);
  }
}
