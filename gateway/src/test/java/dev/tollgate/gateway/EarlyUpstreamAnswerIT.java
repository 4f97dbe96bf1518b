package dev.tollgate.gateway;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.gateway.support.GatewayFixture;
import dev.tollgate.gateway.support.RawUpstream;
import dev.tollgate.gateway.support.Routes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
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
    try (Socket client = new Socket(InetAddress.getLoopbackAddress(), gateway.port())) {
      client.setSoTimeout(20_000);
      Thread uploader = Thread.ofVirtual().start(() -> upload(client));
      try {
        String response = readResponse(client.getInputStream());

        assertThat(response).startsWith("HTTP/1.1 413 ");
        assertThat(response).endsWith("\r\n\r\nthe upload is too large");
      } finally {
        client.close(); // ends a write blocked on the full socket at once
        assertThat(uploader.join(Duration.ofSeconds(10))).as("uploader ended").isTrue();
      }
    }
  }

  /** Sends the head and as much of the body as the gateway takes until it ends the connection. */
  private static void upload(Socket client) {
    try {
      OutputStream out = client.getOutputStream();
      out.write(
          ("PUT /files/big HTTP/1.1\r\nHost: uploads.test\r\nContent-Type: application/octet-stream"
                  + "\r\nContent-Length: "
                  + BODY_SIZE
                  + "\r\n\r\n")
              .getBytes(US_ASCII));
      byte[] chunk = new byte[64 * 1024];
      for (long sent = 0; sent < BODY_SIZE; sent += chunk.length) {
        out.write(chunk);
      }
    } catch (IOException e) {
      // the gateway ended the connection after answering, or the test closed it: both expected
    }
  }

  /** The response head and its Content-Length body. */
  private static String readResponse(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(US_ASCII).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        return head.toString(US_ASCII);
      }
      head.write(b);
    }
    String text = head.toString(US_ASCII);
    int length =
        text.lines()
            .filter(line -> line.regionMatches(true, 0, "Content-Length:", 0, 15))
            .mapToInt(line -> Integer.parseInt(line.substring(15).trim()))
            .findFirst()
            .orElse(0);
    return text + new String(in.readNBytes(length), US_ASCII);
  }
}
