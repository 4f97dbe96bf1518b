package dev.tollgate.gateway;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.gateway.support.GatewayFixture;
import dev.tollgate.gateway.support.RawConnection;
import dev.tollgate.gateway.support.RawUpstream;
import dev.tollgate.gateway.support.Routes;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An upstream may answer before it has read the request body, say 413 for an upload too large for
 * it, and close (RFC 9112, 9.5): the client gets that answer, not a 502 for the body's failed
 * write.
 */
class EarlyUpstreamAnswerIT {
  private static final String TOO_LARGE =
      "HTTP/1.1 413 Content Too Large\r\nContent-Type: text/plain\r\nContent-Length: 23\r\n"
          + "Connection: close\r\n\r\nthe upload is too large";

  /** Far more than the socket buffers between client, gateway and upstream can hold. */
  private static final long BODY_SIZE = 64L * 1024 * 1024;

  private static RawUpstream upstream;
  private static GatewayFixture gateway;

  @BeforeAll
  static void start() {
    // answers once the head is in and closes with the body unread, which resets the connection
    upstream =
        RawUpstream.start(
            socket -> {
              RawUpstream.skipHead(socket.getInputStream());
              socket.getOutputStream().write(TOO_LARGE.getBytes(US_ASCII));
            });
    gateway = GatewayFixture.start(Routes.simple("uploads", "pathPrefix: /", upstream.url()));
  }

  @AfterAll
  static void stop() {
    gateway.close();
    upstream.close();
  }

  @Test
  void theUpstreamsAnswerToAnUploadItDidNotReadReachesTheClient() throws Exception {
    try (RawConnection client = RawConnection.open(gateway.port())) {
      Thread uploader = Thread.ofVirtual().start(() -> upload(client));
      try {
        String response = client.readResponse(Duration.ofSeconds(20)).text();

        assertThat(response).startsWith("HTTP/1.1 413 ");
        assertThat(response).endsWith("\r\n\r\nthe upload is too large");
      } finally {
        client.close(); // ends a write blocked on the full socket at once
        assertThat(uploader.join(Duration.ofSeconds(10))).as("uploader ended").isTrue();
      }
    }
  }

  /** Sends the head and as much of the body as the gateway takes until it ends the connection. */
  private static void upload(RawConnection client) {
    String head =
        "PUT /files/big HTTP/1.1\r\nHost: uploads.test\r\nContent-Type: application/octet-stream"
            + "\r\nContent-Length: "
            + BODY_SIZE
            + "\r\n\r\n";
    String chunk = "x".repeat(64 * 1024);
    // false once the gateway ended the connection after answering, or the test closed it
    boolean open = client.send(head);
    for (long sent = 0; open && sent < BODY_SIZE; sent += chunk.length()) {
      open = client.send(chunk);
    }
  }
}
