package dev.tollgate.gateway.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.tollgate.gateway.auth.TestKeys;
import dev.tollgate.gateway.support.GatewayFixture;
import dev.tollgate.gateway.support.GatewayProcess;
import dev.tollgate.gateway.support.RawHttp;
import dev.tollgate.gateway.support.RawUpstream;
import dev.tollgate.gateway.support.Routes;
import dev.tollgate.gateway.support.WebSocketEchoServer;
import dev.tollgate.gateway.support.WebSocketRecorder;
import dev.tollgate.gateway.support.WebSocketRecorder.Opened;
import dev.tollgate.testkit.FreePort;
import dev.tollgate.testkit.TempDirs;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * WebSockets through a real gateway: the JDK's WebSocket client on one side, Jetty's WebSocket
 * server (echo) on the other.
 */
class WebSocketProxyIT {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String HANDSHAKE =
      "GET /echo HTTP/1.1\r\nHost: test\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n";

  private static WebSocketEchoServer upstream;
  private GatewayFixture gateway;

  @BeforeAll
  static void startUpstream() {
    upstream = WebSocketEchoServer.start();
  }

  @AfterAll
  static void stopUpstream() {
    upstream.close();
  }

  @AfterEach
  void stopGateway() {
    if (gateway != null) {
      gateway.close();
    }
  }

  private GatewayFixture start(Map<String, String> settings) {
    gateway = GatewayFixture.start(Routes.simple("ws", "pathPrefix: /", upstream.url()), settings);
    return gateway;
  }

  private URI ws(String path) {
    return URI.create("ws://127.0.0.1:" + gateway.port() + path);
  }

  @Test
  void relaysTextBinaryLargeMessagesAndPingsBothWays() throws Exception {
    start(Map.of());
    upstream.handshakes().clear();
    // counters are per JVM, shared by the gateways of all tests here: compare with before
    double upgradedBefore = gateway.metricSum("tollgate_websocket_upgrades_total", "code=\"101\"");
    double bytesBefore =
        gateway.metricSum("tollgate_websocket_bytes_total", "direction=\"client-to-upstream\"");
    Opened opened = WebSocketRecorder.open(ws("/echo"));
    WebSocket socket = opened.socket();
    WebSocketRecorder received = opened.recorder();

    socket.sendText("hello", true).join();
    assertThat(received.next()).isEqualTo("hello");

    byte[] small = {0, 1, 2, (byte) 0xff};
    socket.sendBinary(ByteBuffer.wrap(small), true).join();
    assertThat((byte[]) received.next()).containsExactly(small);

    byte[] large = new byte[3 * 1024 * 1024];
    new Random(18).nextBytes(large);
    socket.sendBinary(ByteBuffer.wrap(large), true).join();
    assertThat((byte[]) received.next()).isEqualTo(large);

    String longText = "ü".repeat(200_000);
    socket.sendText(longText, true).join();
    assertThat(received.next()).isEqualTo(longText);

    socket.sendPing(ByteBuffer.wrap("are you there".getBytes(StandardCharsets.UTF_8))).join();
    assertThat(received.next()).isEqualTo(Map.of("pong", "are you there"));

    Map<String, String> handshake = upstream.handshakes().poll(5, TimeUnit.SECONDS);
    assertThat(handshake)
        .containsEntry("path", "/echo")
        .containsEntry("x-forwarded-for", "127.0.0.1");
    assertThat(handshake.get("x-request-id")).isNotBlank().isNotEqualTo("null");
    assertThat(gateway.metricSum("tollgate_websocket_connections", "")).isEqualTo(1.0);
    awaitMetric("tollgate_websocket_upgrades_total", "code=\"101\"", upgradedBefore + 1);
    double relayed =
        gateway.metricSum("tollgate_websocket_bytes_total", "direction=\"client-to-upstream\"")
            - bytesBefore;
    assertThat(relayed).isGreaterThan(large.length);

    socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();
    assertThat(received.ended().get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("close 1000");
    await()
        .atMost(WAIT)
        .until(() -> gateway.metricSum("tollgate_websocket_connections", "") == 0.0);
  }

  @Test
  void theClientGetsTheUpstreams101WithTheRequestIdAndTheAccessLogRecordsIt() throws Exception {
    Path logDir = TempDirs.create("tollgate-ws-access");
    Path accessLog = logDir.resolve("access.log");
    try {
      start(
          Map.of("TOLLGATE_ACCESS_LOG", "file", "TOLLGATE_ACCESS_LOG_FILE", accessLog.toString()));
      upstream.handshakes().clear();
      String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
      try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), gateway.port())) {
        socket.setSoTimeout((int) WAIT.toMillis());
        socket
            .getOutputStream()
            .write(
                (HANDSHAKE
                        + "X-Request-Id: ws-head-1\r\ntraceparent: "
                        + traceparent
                        + "\r\nOrigin: https://elsewhere.example\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
        String head = RawUpstream.readHead(socket.getInputStream());
        assertThat(head)
            .startsWith("HTTP/1.1 101 ")
            .containsIgnoringCase("upgrade: websocket\r\n")
            .containsIgnoringCase("connection: upgrade\r\n")
            // RFC 6455, 1.3: the accept value for the key in HANDSHAKE, computed by the upstream
            .containsIgnoringCase("sec-websocket-accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n")
            .containsIgnoringCase("x-request-id: ws-head-1\r\n")
            .doesNotContainIgnoringCase("content-length")
            .doesNotContainIgnoringCase("transfer-encoding");
      }
      // without a trace exporter the client's trace context reaches the upstream unchanged
      assertThat(upstream.handshakes().poll(5, TimeUnit.SECONDS))
          .containsEntry("traceparent", traceparent)
          .containsEntry("x-request-id", "ws-head-1")
          // the gateway does not judge Origin (docs/gateway.md, WebSocket): the upstream gets it
          // as sent, with the host the client asked for to compare it with
          .containsEntry("origin", "https://elsewhere.example")
          .containsEntry("x-forwarded-host", "test");
      await()
          .atMost(WAIT)
          .until(
              () ->
                  Files.exists(accessLog)
                      && Files.readString(accessLog)
                          .lines()
                          .anyMatch(
                              line ->
                                  line.contains("\"requestId\":\"ws-head-1\"")
                                      && line.contains("\"status\":101")));
    } finally {
      TempDirs.deleteRecursively(logDir);
    }
  }

  @Test
  void anUnreachableUpstreamIsAnswered502() {
    gateway =
        GatewayFixture.start(
            Routes.simple("ws", "pathPrefix: /", "http://127.0.0.1:" + FreePort.pick()), Map.of());
    RawHttp.Response answer = RawHttp.send(gateway.port(), HANDSHAKE + "\r\n");
    assertThat(answer.status()).isEqualTo(502);
    assertThat(answer.body()).contains("problem:upstream-unreachable");
  }

  @Test
  void aWebSocketOutlivesTheKeepAliveAndUpstreamTimeouts() throws Exception {
    // the route's upstream timeout bounds the handshake, not the silence after it
    gateway =
        GatewayFixture.start(
            Routes.route(
                "ws",
                "match: {pathPrefix: /}\nbackend: {endpoints: [%s], timeout: 1s}"
                    .formatted(upstream.url())),
            Map.of("TOLLGATE_KEEPALIVE_TIMEOUT", "1s"));
    Opened opened = WebSocketRecorder.open(ws("/echo"));
    assertEchoes(opened, "first");
    // past both timeouts and two of Helidon's idle checks (once a second)
    await()
        .pollDelay(Duration.ofSeconds(3))
        .atMost(WAIT)
        .until(() -> !opened.recorder().ended().isDone());
    assertEchoes(opened, "still open");
  }

  @Test
  void aGatewayProcessStoppedBySigtermClosesItsWebSocketsWithGoingAway() throws Exception {
    Path configDir = TempDirs.create("tollgate-ws-process");
    try {
      Files.writeString(
          configDir.resolve("routes.yaml"), Routes.simple("ws", "pathPrefix: /", upstream.url()));
      GatewayProcess process = GatewayProcess.start(configDir, List.of("-Xmx128m"));
      Opened opened =
          WebSocketRecorder.open(URI.create("ws://127.0.0.1:" + process.port() + "/echo"));
      assertEchoes(opened, "before");
      process.close(); // SIGTERM, waits for the exit
      assertThat(process.isAlive()).isFalse();
      assertThat(opened.recorder().ended().get(WAIT.toSeconds(), TimeUnit.SECONDS))
          .isEqualTo("close 1001");
    } finally {
      TempDirs.deleteRecursively(configDir);
    }
  }

  @Test
  void manyWebSocketsAtOnceEachGetTheirOwnMessages() throws Exception {
    start(Map.of());
    int count = 40;
    List<Opened> sockets = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      sockets.add(WebSocketRecorder.open(ws("/echo")));
    }
    assertThat(gateway.metricSum("tollgate_websocket_connections", "")).isEqualTo(count);
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < count; i++) {
        sockets.get(i).socket().sendText("socket " + i + " round " + round, true).join();
      }
      for (int i = 0; i < count; i++) {
        assertThat(sockets.get(i).recorder().next()).isEqualTo("socket " + i + " round " + round);
      }
    }
    for (Opened opened : sockets) {
      opened.socket().sendClose(WebSocket.NORMAL_CLOSURE, "").join();
    }
    await()
        .atMost(WAIT)
        .until(() -> gateway.metricSum("tollgate_websocket_connections", "") == 0.0);
  }

  @Test
  void aClientThatStopsReadingHoldsUpTheUpstreamAndIsCutOffAtTheIdleTimeout() throws Exception {
    start(Map.of("TOLLGATE_WEBSOCKET_IDLE_TIMEOUT", "1s"));
    double idleBefore = gateway.metricSum("tollgate_websocket_closes_total", "reason=\"idle\"");
    long sentBefore = upstream.firehoseBytes();
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), gateway.port())) {
      socket
          .getOutputStream()
          .write(
              (HANDSHAKE.replace("/echo", "/firehose") + "\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      assertThat(RawUpstream.readHead(socket.getInputStream())).startsWith("HTTP/1.1 101 ");
      // never read again: once the socket buffers on both hops are full the gateway stops
      // reading from the upstream (it holds one read at most), no byte moves, and the idle
      // timeout ends the tunnel
      awaitMetric("tollgate_websocket_closes_total", "reason=\"idle\"", idleBefore + 1);
    }
    long sent = upstream.firehoseBytes() - sentBefore;
    System.out.printf("firehose to a client that stopped reading: %d KiB sent%n", sent >> 10);
    // what the kernel's socket buffers on two loopback hops take, not what the upstream could send
    assertThat(sent).isLessThan(64L << 20);
  }

  /**
   * Frames are the upstream's to judge (docs/gateway.md, WebSocket): an unmasked client frame (RFC
   * 6455 5.1) reaches it as sent, and its Close 1002 reaches the client.
   */
  @Test
  void anUnmaskedClientFrameIsRefusedByTheUpstreamWithItsCloseRelayed() throws Exception {
    start(Map.of());
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), gateway.port())) {
      socket.setSoTimeout((int) WAIT.toMillis());
      socket.getOutputStream().write((HANDSHAKE + "\r\n").getBytes(StandardCharsets.US_ASCII));
      assertThat(RawUpstream.readHead(socket.getInputStream())).startsWith("HTTP/1.1 101 ");
      socket.getOutputStream().write(new byte[] {(byte) 0x81, 0x02, 'h', 'i'}); // text "hi"
      byte[] close = socket.getInputStream().readNBytes(4);
      // FIN + Close, unmasked, then the status code 1002 (protocol error)
      assertThat(close[0] & 0xff).isEqualTo(0x88);
      assertThat(((close[2] & 0xff) << 8) | (close[3] & 0xff)).isEqualTo(1002);
    }
  }

  @Test
  void anUpstreamRefusalIsRelayedAsItsResponse() {
    start(Map.of());
    double refusedBefore = gateway.metricSum("tollgate_websocket_upgrades_total", "code=\"403\"");
    assertThatThrownBy(() -> WebSocketRecorder.open(ws("/refuse")))
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOf(WebSocketHandshakeException.class)
        .satisfies(
            e ->
                assertThat(((WebSocketHandshakeException) e).getResponse().statusCode())
                    .isEqualTo(403));
    awaitMetric("tollgate_websocket_upgrades_total", "code=\"403\"", refusedBefore + 1);
    awaitMetric("tollgate_websocket_connections", "", 0);
  }

  @Test
  void aSilentWebSocketIsClosedAfterTheIdleTimeout() throws Exception {
    start(Map.of("TOLLGATE_WEBSOCKET_IDLE_TIMEOUT", "1s"));
    double idleBefore = gateway.metricSum("tollgate_websocket_closes_total", "reason=\"idle\"");
    Opened opened = WebSocketRecorder.open(ws("/echo"));
    assertEchoes(opened, "once");

    // the gateway says why: a Close frame with 1001 (going away), not a broken connection
    assertThat(opened.recorder().ended().get(WAIT.toSeconds(), TimeUnit.SECONDS))
        .isEqualTo("close 1001");
    awaitMetric("tollgate_websocket_closes_total", "reason=\"idle\"", idleBefore + 1);
    assertThat(gateway.metricSum("tollgate_websocket_connections", "")).isZero();
  }

  @Test
  void aWebSocketIsClosedAtItsMaximumLifetimeHoweverBusy() throws Exception {
    start(Map.of("TOLLGATE_WEBSOCKET_MAX_LIFETIME", "2s"));
    double before = gateway.metricSum("tollgate_websocket_closes_total", "reason=\"lifetime\"");
    Opened opened = WebSocketRecorder.open(ws("/echo"));
    // a message every 100 ms keeps it from being idle; the lifetime ends it anyway
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              if (!opened.recorder().ended().isDone()) {
                opened.socket().sendText("busy", true).handle((sent, failed) -> null).join();
              }
              return opened.recorder().ended().isDone();
            });
    assertThat(opened.recorder().ended().get()).isEqualTo("close 1001");
    awaitMetric("tollgate_websocket_closes_total", "reason=\"lifetime\"", before + 1);
  }

  @Test
  void handshakesBeyondTheCapAreAnsweredOverloaded() throws Exception {
    start(Map.of("TOLLGATE_WEBSOCKET_MAX_CONNECTIONS", "1"));
    Opened first = WebSocketRecorder.open(ws("/echo"));

    RawHttp.Response refused = RawHttp.send(gateway.port(), HANDSHAKE + "\r\n");
    assertThat(refused.status()).isEqualTo(503);
    assertThat(refused.text()).containsIgnoringCase("content-type: application/problem+json");
    assertThat(refused.body()).contains("problem:overloaded");

    assertEchoes(first, "still here");
    first.socket().sendClose(WebSocket.NORMAL_CLOSURE, "").join();
    first.recorder().ended().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    await()
        .atMost(WAIT)
        .until(() -> gateway.metricSum("tollgate_websocket_connections", "") == 0.0);

    Opened again = WebSocketRecorder.open(ws("/echo"));
    assertEchoes(again, "after");
  }

  @Test
  void shutdownClosesOpenWebSockets() throws Exception {
    start(Map.of());
    Opened opened = WebSocketRecorder.open(ws("/echo"));
    assertEchoes(opened, "before");

    gateway.gateway().close();
    assertThat(opened.recorder().ended().get(WAIT.toSeconds(), TimeUnit.SECONDS))
        .isEqualTo("close 1001");
    assertThat(gateway.gateway().isRunning()).isFalse();
  }

  @Test
  void handshakesGoThroughAuthenticationAndTheRateLimit() throws Exception {
    var key = TestKeys.rsa("ws-key");
    Path jwks = TempDirs.create("tollgate-ws-jwks");
    Files.writeString(jwks.resolve("jwks.json"), TestKeys.jwks(key));
    try {
      gateway =
          GatewayFixture.startWithPolicies(
              securedRouteLimitedTo(2),
              Map.of(
                  "TOLLGATE_JWT_ISSUER", TestKeys.ISSUER,
                  "TOLLGATE_JWT_AUDIENCE", TestKeys.AUDIENCE,
                  "TOLLGATE_JWT_JWKS_FILE", jwks.resolve("jwks.json").toString()));
      double limitedBefore = gateway.metricSum("tollgate_websocket_upgrades_total", "code=\"429\"");
      String bearer = "Bearer " + TestKeys.token(key, "alice", claims -> {});

      RawHttp.Response anonymous = RawHttp.send(gateway.port(), HANDSHAKE + "\r\n");
      assertThat(anonymous.status()).isEqualTo(401);
      assertThat(anonymous.text()).containsIgnoringCase("content-type: application/problem+json");
      assertThat(anonymous.text()).containsIgnoringCase("www-authenticate: Bearer");

      for (int i = 0; i < 2; i++) {
        Opened opened = WebSocketRecorder.open(ws("/echo"), "Authorization", bearer);
        assertEchoes(opened, "n" + i);
        opened.socket().sendClose(WebSocket.NORMAL_CLOSURE, "").join();
      }
      RawHttp.Response limited =
          RawHttp.send(gateway.port(), HANDSHAKE + "Authorization: " + bearer + "\r\n\r\n");
      assertThat(limited.status()).isEqualTo(429);
      assertThat(limited.text()).containsIgnoringCase("content-type: application/problem+json");
      assertThat(limited.text()).containsIgnoringCase("retry-after:");
      awaitMetric("tollgate_websocket_upgrades_total", "code=\"429\"", limitedBefore + 1);
    } finally {
      TempDirs.deleteRecursively(jwks);
    }
  }

  private static String securedRouteLimitedTo(int handshakes) {
    return """
        ---
        apiVersion: tollgate.dev/v1alpha1
        kind: Route
        metadata: {name: ws, namespace: test}
        spec:
          match: {pathPrefix: /}
          backend: {endpoints: ["%s"]}
          auth: {jwt: required}
        ---
        apiVersion: tollgate.dev/v1alpha1
        kind: RateLimitPolicy
        metadata: {name: ws-handshakes, namespace: test}
        spec:
          targetRefs: [{kind: Route, name: ws}]
          limits:
          - name: handshakes
            algorithm: fixed-window
            rate: {requests: %d, period: 1h}
            key: [{clientIP: true}]
        """
        .formatted(upstream.url(), handshakes);
  }

  private static void assertEchoes(Opened opened, String text) throws InterruptedException {
    opened.socket().sendText(text, true).join();
    assertThat(opened.recorder().next()).isEqualTo(text);
  }

  /** Waits for a metric the gateway may update just after the client got its answer. */
  private void awaitMetric(String name, String label, double expected) {
    await().atMost(WAIT).until(() -> gateway.metricSum(name, label) == expected);
  }
}
