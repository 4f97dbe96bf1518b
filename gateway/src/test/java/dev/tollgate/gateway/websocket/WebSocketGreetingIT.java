package dev.tollgate.gateway.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.gateway.support.GatewayFixture;
import dev.tollgate.gateway.support.RawConnection;
import dev.tollgate.gateway.support.RawUpstream;
import dev.tollgate.gateway.support.Routes;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An upstream that greets its client: the first frame, and here a Close, leave in the same write as
 * its 101 head, so the gateway reads them together with the head and must relay exactly the bytes
 * behind it. A server that speaks first (a welcome message, a subscription snapshot) does this
 * whenever the bytes meet in one TCP segment.
 */
class WebSocketGreetingIT {
  /** A text frame "hello" and a Close frame with no status, unmasked (server to client). */
  private static final String FRAMES = "\u0081\u0005hello\u0088\u0000";

  private static RawUpstream upstream;
  private static GatewayFixture gateway;

  @BeforeAll
  static void start() {
    upstream = RawUpstream.start(WebSocketGreetingIT::greet);
    gateway = GatewayFixture.start(Routes.simple("greeting", "pathPrefix: /", upstream.url()));
  }

  @AfterAll
  static void stop() {
    gateway.close();
    upstream.close();
  }

  @Test
  void theBytesThatArriveWithTheUpstreamsHandshakeAreRelayedExactly() {
    for (int i = 0; i < 3; i++) {
      try (RawConnection client = RawConnection.open(gateway.port())) {
        client.send(
            "GET /chat HTTP/1.1\r\nHost: test\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
        assertThat(client.awaitClose(Duration.ofSeconds(20))).isPresent();
        String received = client.received();
        assertThat(received).startsWith("HTTP/1.1 101 ");
        assertThat(received.substring(received.indexOf("\r\n\r\n") + 4)).isEqualTo(FRAMES);
      }
    }
  }

  /**
   * Accepts the handshake with its head and {@link #FRAMES} in one write; the connection closes
   * without awaiting the client's side of the close handshake (the test is about what it got).
   */
  private static void greet(Socket socket) throws IOException {
    String head =
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Accept: "
            + accept(handshakeKey(socket))
            + "\r\n\r\n";
    socket.getOutputStream().write((head + FRAMES).getBytes(StandardCharsets.ISO_8859_1));
    socket.getOutputStream().flush();
  }

  /** Reads the handshake's header lines; the value of its Sec-WebSocket-Key. */
  private static String handshakeKey(Socket socket) throws IOException {
    BufferedReader in =
        new BufferedReader(
            new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
    String key = "";
    for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
      if (line.regionMatches(true, 0, "Sec-WebSocket-Key:", 0, 18)) {
        key = line.substring(18).trim();
      }
    }
    return key;
  }

  /** RFC 6455, 4.2.2: the key with the protocol's GUID, SHA-1, base64. */
  private static String accept(String key) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-1")
              .digest(
                  (key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")
                      .getBytes(StandardCharsets.ISO_8859_1));
      return Base64.getEncoder().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
