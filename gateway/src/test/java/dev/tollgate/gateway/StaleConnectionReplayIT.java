package dev.tollgate.gateway;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.gateway.support.GatewayFixture;
import dev.tollgate.gateway.support.RawUpstream;
import dev.tollgate.gateway.support.Routes;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A GET that fails on a reused keep-alive connection is sent once more, on a fresh connection (the
 * upstream may have closed it while idle), never once per pooled connection: with eight idle
 * connections, an upstream that breaks every exchange got the same GET nine times.
 */
class StaleConnectionReplayIT {
  private static final int POOLED = 8;

  enum Breakage {
    /** A malformed answer is an answer: not sent again at all. */
    MALFORMED_ANSWER(1),
    /** Closed without a word, as an idle connection the upstream dropped: sent again once. */
    CLOSED_UNANSWERED(2);

    final int expectedSends;

    Breakage(int expectedSends) {
      this.expectedSends = expectedSends;
    }
  }

  @ParameterizedTest
  @EnumSource(Breakage.class)
  void aFailingGetIsSentAgainAtMostOnce(Breakage breakage) throws Exception {
    AtomicReference<Breakage> broken = new AtomicReference<>();
    AtomicInteger sends = new AtomicInteger();
    try (ServerSocket upstream = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread.ofVirtual().start(() -> acceptEach(upstream, broken, sends));
      String url = "http://127.0.0.1:" + upstream.getLocalPort();
      try (GatewayFixture gateway =
          GatewayFixture.start(Routes.simple("r", "pathPrefix: /", url))) {
        assertSentAgainAtMostOnce(gateway, breakage, broken, sends);
      }
    }
  }

  private static void assertSentAgainAtMostOnce(
      GatewayFixture gateway,
      Breakage breakage,
      AtomicReference<Breakage> broken,
      AtomicInteger sends)
      throws Exception {
    // POOLED requests at once, each answered after a pause, leave POOLED idle connections
    List<CompletableFuture<HttpResponse<String>>> warming = new ArrayList<>();
    for (int i = 0; i < POOLED; i++) {
      warming.add(
          gateway
              .http()
              .sendAsync(
                  HttpRequest.newBuilder(gateway.uri("/warm/" + i)).build(),
                  HttpResponse.BodyHandlers.ofString()));
    }
    for (CompletableFuture<HttpResponse<String>> response : warming) {
      assertThat(response.get().statusCode()).isEqualTo(200);
    }
    broken.set(breakage);

    assertThat(gateway.get("/once").statusCode()).isEqualTo(502);
    assertThat(sends.get())
        .as("times the upstream got GET /once")
        .isEqualTo(breakage.expectedSends);
  }

  /** Each connection on a thread of its own, so that the gateway can hold several at once. */
  private static void acceptEach(
      ServerSocket server, AtomicReference<Breakage> broken, AtomicInteger sends) {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        Thread.ofVirtual().start(() -> serve(socket, broken, sends));
      } catch (IOException e) {
        return; // the server closed at the end of the test
      }
    }
  }

  /** Serves one connection: keep-alive answers until broken, then breaks the exchange. */
  private static void serve(Socket socket, AtomicReference<Breakage> broken, AtomicInteger sends) {
    try (socket) {
      answer(socket, broken, sends);
    } catch (IOException | InterruptedException e) {
      // the gateway closed the connection
    }
  }

  private static void answer(Socket socket, AtomicReference<Breakage> broken, AtomicInteger sends)
      throws IOException, InterruptedException {
    InputStream in = socket.getInputStream();
    OutputStream out = socket.getOutputStream();
    while (true) {
      RawUpstream.skipHead(in);
      Breakage breakage = broken.get();
      if (breakage != null) {
        sends.incrementAndGet();
        if (breakage == Breakage.MALFORMED_ANSWER) {
          out.write("garbage\r\n\r\n".getBytes(ISO_8859_1));
          out.flush();
        }
        return; // closes the connection
      }
      Thread.sleep(300);
      out.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(ISO_8859_1));
      out.flush();
    }
  }
}
