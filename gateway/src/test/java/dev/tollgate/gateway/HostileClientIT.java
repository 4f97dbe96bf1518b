package dev.tollgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.gateway.auth.TestKeys;
import dev.tollgate.gateway.support.GatewayFixture;
import dev.tollgate.gateway.support.RawConnection;
import dev.tollgate.gateway.support.RawHttp;
import dev.tollgate.gateway.support.RecordingUpstream;
import dev.tollgate.gateway.support.Routes;
import dev.tollgate.gateway.support.TcpSockets;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients that attack the gateway's edge, each against a real gateway and a real upstream over real
 * loopback sockets. Every case asserts what the client got (status, problem type, when the
 * connection closed) and what the upstream saw. Deadlines are shortened to seconds here; the close
 * times are asserted with generous upper bounds (the machine may be busy) and printed.
 */
class HostileClientIT {
  static final Duration HEADER_TIMEOUT = Duration.ofSeconds(2);
  static final Duration BODY_TIMEOUT = Duration.ofSeconds(2);
  static final Duration KEEPALIVE_TIMEOUT = Duration.ofSeconds(3);

  /** Slack for a busy machine on top of a deadline (sweeper ticks, scheduling). */
  static final Duration SLACK = Duration.ofSeconds(8);

  private static RecordingUpstream upstream;
  private static GatewayFixture gateway;

  @BeforeAll
  static void start() {
    upstream = new RecordingUpstream();
    gateway =
        GatewayFixture.start(
            Routes.simple("all", "pathPrefix: /", upstream.url()),
            Map.of(
                "TOLLGATE_CLIENT_HEADER_TIMEOUT", seconds(HEADER_TIMEOUT),
                "TOLLGATE_CLIENT_BODY_TIMEOUT", seconds(BODY_TIMEOUT),
                "TOLLGATE_KEEPALIVE_TIMEOUT", seconds(KEEPALIVE_TIMEOUT)));
  }

  @AfterAll
  static void stop() {
    gateway.close();
    upstream.close();
  }

  @BeforeEach
  void reset() {
    upstream.reset();
  }

  private static String seconds(Duration duration) {
    return duration.toSeconds() + "s";
  }

  private static String problemType(RawHttp.Response response) {
    try {
      return dev.tollgate.api.common.ApiJson.mapper()
          .readTree(response.body())
          .path("type")
          .asText();
    } catch (java.io.IOException e) {
      throw new AssertionError("not a problem document: " + response.text(), e);
    }
  }

  /** A gateway with an upstream of its own, for a case that needs other settings. */
  private record Own(RecordingUpstream upstream, GatewayFixture gateway) implements AutoCloseable {
    static Own start(Map<String, String> settings) {
      RecordingUpstream upstream = new RecordingUpstream();
      return new Own(
          upstream,
          GatewayFixture.start(Routes.simple("all", "pathPrefix: /", upstream.url()), settings));
    }

    @Override
    public void close() {
      gateway.close();
      upstream.close();
    }
  }

  private static void report(String what, Duration closedAfter) {
    System.out.printf(
        "[hostile] %s: connection closed after %d ms%n", what, closedAfter.toMillis());
  }

  @Nested
  class Framing {
    /** Sends {@code request} and expects 400 {@code bad-request}, the connection closed. */
    private void assertRefusedAndClosed(String request) {
      try (RawConnection client = RawConnection.open(gateway.port())) {
        client.send(request);
        RawHttp.Response response = client.readResponse(Duration.ofSeconds(10));

        assertThat(response.status()).isEqualTo(400);
        assertThat(problemType(response)).isEqualTo("urn:tollgate:problem:bad-request");
        assertThat(client.awaitClose(Duration.ofSeconds(10))).isPresent();
      }
      assertThat(upstream.seen()).isEmpty();
    }

    @Test
    void contentLengthWithASignIsRefusedAndTheConnectionClosed() {
      assertRefusedAndClosed("POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: +5\r\n\r\nhello");
    }

    @Test
    void aListOfContentLengthsIsRefusedEvenWhenTheyAgree() {
      assertRefusedAndClosed("POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 5, 5\r\n\r\nhello");
    }

    @Test
    void contentLengthIsRegeneratedForTheUpstream() {
      RawHttp.Response response =
          RawHttp.send(
              gateway.port(),
              "POST /length HTTP/1.1\r\nHost: x\r\nContent-Length: 0005\r\nConnection: close\r\n\r\n"
                  + "hello");

      assertThat(response.status()).isEqualTo(200);
      RecordingUpstream.Seen seen = upstream.last("/length");
      assertThat(seen.header("content-length")).isEqualTo("5");
      assertThat(seen.bodyBytes()).isEqualTo(5);
    }

    @Test
    void transferEncodingOtherThanExactlyChunkedIsRefused() {
      assertRefusedAndClosed(
          "POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: Chunked\r\n\r\n0\r\n\r\n");
    }
  }

  @Nested
  class ForgedHeaders {
    @Test
    void headerNamesWithUnderscoresNeverReachTheUpstream() {
      RawHttp.Response response =
          RawHttp.send(
              gateway.port(),
              "GET /underscores HTTP/1.1\r\nHost: x\r\n"
                  + "X_Forwarded_For: 198.51.100.7\r\n"
                  + "X_Tollgate_Subject: admin\r\n"
                  + "X_Real_IP: 198.51.100.7\r\n"
                  + "X_Custom: 1\r\n"
                  + "Connection: close\r\n\r\n");

      assertThat(response.status()).isEqualTo(200);
      RecordingUpstream.Seen seen = upstream.last("/underscores");
      assertThat(seen.headers().keySet()).noneMatch(name -> name.contains("_"));
      assertThat(seen.header("x-forwarded-for")).isEqualTo("127.0.0.1");
    }

    @Test
    void forwardedAndRealIpAreSetByTheGatewayNotTheClient() {
      RawHttp.Response response =
          RawHttp.send(
              gateway.port(),
              "GET /forwarded HTTP/1.1\r\nHost: shop.example\r\n"
                  + "Forwarded: for=198.51.100.7;proto=https\r\n"
                  + "X-Real-IP: 198.51.100.7\r\n"
                  + "X-Forwarded-For: 198.51.100.7\r\n"
                  + "Connection: close\r\n\r\n");

      assertThat(response.status()).isEqualTo(200);
      RecordingUpstream.Seen seen = upstream.last("/forwarded");
      assertThat(seen.header("forwarded"))
          .isEqualTo("for=127.0.0.1;host=\"shop.example\";proto=http");
      assertThat(seen.header("x-real-ip")).isEqualTo("127.0.0.1");
      assertThat(seen.header("x-forwarded-for")).isEqualTo("127.0.0.1");
    }
  }

  @Nested
  class SlowClients {
    /** The connection was closed after a 408 {@code request-timeout}; returns when. */
    private Duration answered408(RawConnection client, Optional<Duration> closed) {
      assertThat(closed).as("the gateway closed the connection").isPresent();
      RawHttp.Response response =
          new RawHttp.Response(RawHttp.Response.statusOf(client.received()), client.received());
      assertThat(response.status()).isEqualTo(408);
      assertThat(problemType(response)).isEqualTo("urn:tollgate:problem:request-timeout");
      return closed.get();
    }

    private Duration closedSilently(RawConnection client) {
      Optional<Duration> closed = client.awaitClose(KEEPALIVE_TIMEOUT.plus(SLACK).plus(SLACK));
      assertThat(closed).as("the gateway closed the connection").isPresent();
      return closed.get();
    }

    /** Prints the close time and checks it against the deadline (never early, not much late). */
    private void closedAtTheDeadline(String what, Duration deadline, Duration closedAfter) {
      report(what + ", deadline " + deadline, closedAfter);
      // the idle clock advances in whole seconds; the sweeper checks every quarter deadline
      assertThat(closedAfter).isBetween(deadline.minusSeconds(1), deadline.plus(SLACK));
    }

    @Test
    void headerLinesTrickledInAreCutAtTheHeaderDeadlineWith408() {
      Duration closedAfter;
      try (RawConnection client = RawConnection.open(gateway.port())) {
        client.send("GET /slow-headers HTTP/1.1\r\nHost: x\r\n");
        Optional<Duration> closed = Optional.empty();
        // one header line every 500 ms, for at most 30 s
        for (int line = 0; line < 60 && closed.isEmpty(); line++) {
          client.send("X-Line-" + line + ": v\r\n");
          closed = client.awaitClose(Duration.ofMillis(500));
        }
        closedAfter = answered408(client, closed);
      }
      closedAtTheDeadline("header lines every 500 ms", HEADER_TIMEOUT, closedAfter);
      assertThat(upstream.seen()).isEmpty();
    }

    @Test
    void aStalledBodyIsCutAtTheBodyDeadlineWith408AndNeverReachesTheUpstreamWhole() {
      Duration closedAfter;
      try (RawConnection client = RawConnection.open(gateway.port())) {
        client.send("POST /slow-body HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nabc");
        closedAfter = answered408(client, client.awaitClose(BODY_TIMEOUT.plus(SLACK).plus(SLACK)));
      }
      closedAtTheDeadline("body stalled after 3 of 100 bytes", BODY_TIMEOUT, closedAfter);
      // The upstream sees the body break off once the gateway drops the request, a moment after the
      // client's 408; waiting for it also keeps that record out of the next test's upstream.
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(upstream.seen())
                      .singleElement()
                      .satisfies(
                          seen -> {
                            assertThat(seen.path()).isEqualTo("/slow-body");
                            assertThat(seen.complete()).isFalse();
                          }));
    }

    @Test
    void aSlowButSteadyBodyIsServed() {
      try (RawConnection client = RawConnection.open(gateway.port())) {
        client.send("POST /steady HTTP/1.1\r\nHost: x\r\nContent-Length: 6\r\n\r\n");
        // each byte well inside the body timeout, the whole body longer than it
        for (int i = 0; i < 5; i++) {
          client.send("x");
          assertThat(client.awaitClose(BODY_TIMEOUT.dividedBy(2))).isEmpty();
        }
        client.send("x");
        assertThat(client.readResponse(Duration.ofSeconds(10)).status()).isEqualTo(200);
      }
      assertThat(upstream.last("/steady").bodyBytes()).isEqualTo(6);
    }

    @Test
    void anIdleKeepAliveConnectionIsClosedAfterTheKeepAliveTimeout() {
      Duration closedAfter;
      try (RawConnection client = RawConnection.open(gateway.port())) {
        client.send("GET /once HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(client.readResponse(Duration.ofSeconds(10)).status()).isEqualTo(200);
        closedAfter = closedSilently(client);
      }
      closedAtTheDeadline("idle keep-alive", KEEPALIVE_TIMEOUT, closedAfter);
      assertThat(upstream.seen()).hasSize(1);
    }

    @Test
    void anIncompleteRequestLineIsClosedAfterTheKeepAliveTimeout() {
      Duration closedAfter;
      try (RawConnection client = RawConnection.open(gateway.port())) {
        client.send("GET /never-fin");
        closedAfter = closedSilently(client);
        assertThat(client.received()).as("no request, no answer").isEmpty();
      }
      closedAtTheDeadline("request line never finished", KEEPALIVE_TIMEOUT, closedAfter);
      assertThat(upstream.seen()).isEmpty();
    }
  }

  @Nested
  class Capacity {
    @Test
    void connectionsOverTheCapGetOne503ProblemAndAreClosed() {
      try (Own isolated = Own.start(Map.of("TOLLGATE_MAX_CONNECTIONS", "3"))) {
        RecordingUpstream own = isolated.upstream();
        GatewayFixture capped = isolated.gateway();
        List<RawConnection> held = new ArrayList<>();
        try {
          for (int i = 0; i < 3; i++) {
            RawConnection connection = RawConnection.open(capped.port());
            held.add(connection);
            connection.send("GET /held-" + i + " HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(connection.readResponse(Duration.ofSeconds(10)).status()).isEqualTo(200);
          }
          try (RawConnection fourth = RawConnection.open(capped.port())) {
            fourth.send("GET /fourth HTTP/1.1\r\nHost: x\r\n\r\n");
            RawHttp.Response response = fourth.readResponse(Duration.ofSeconds(10));

            assertThat(response.status()).isEqualTo(503);
            assertThat(problemType(response)).isEqualTo("urn:tollgate:problem:overloaded");
            assertThat(fourth.awaitClose(Duration.ofSeconds(10))).isPresent();
          }
          assertThat(own.seen()).extracting(RecordingUpstream.Seen::path).doesNotContain("/fourth");

          held.removeFirst().close();
          await()
              .atMost(Duration.ofSeconds(20))
              .until(() -> RawHttp.get(capped.port(), "/after").status() == 200);
        } finally {
          held.forEach(RawConnection::close);
        }
      }
    }

    @Test
    void requestsOverTheInFlightCapGet503WhileTheOthersComplete() throws Exception {
      try (Own isolated = Own.start(Map.of("TOLLGATE_MAX_REQUESTS_IN_FLIGHT", "2"))) {
        RecordingUpstream own = isolated.upstream();
        GatewayFixture capped = isolated.gateway();
        List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
          held.add(
              capped
                  .http()
                  .sendAsync(
                      HttpRequest.newBuilder(capped.uri("/hold/" + i)).build(),
                      HttpResponse.BodyHandlers.ofString()));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> own.holding() == 2);

        HttpResponse<String> third = capped.get("/third");

        assertThat(third.statusCode()).isEqualTo(503);
        assertThat(third.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(third.body()).contains("\"type\":\"urn:tollgate:problem:overloaded\"");
        own.release();
        for (CompletableFuture<HttpResponse<String>> request : held) {
          assertThat(request.get().statusCode()).isEqualTo(200);
        }
        assertThat(own.seen()).extracting(RecordingUpstream.Seen::path).doesNotContain("/third");
        capped.awaitNoRequestInFlight();
        assertThat(capped.get("/fourth").statusCode()).isEqualTo(200);
      }
    }
  }

  @Nested
  class UnderscoreModes {
    @Test
    void refuseModeAnswers400AndSendsNothingUpstream() {
      try (Own isolated = Own.start(Map.of("TOLLGATE_UNDERSCORE_HEADERS", "refuse"))) {
        RecordingUpstream own = isolated.upstream();
        GatewayFixture refusing = isolated.gateway();
        RawHttp.Response response =
            RawHttp.send(
                refusing.port(),
                "GET /u HTTP/1.1\r\nHost: x\r\nX_Custom: 1\r\nConnection: close\r\n\r\n");

        assertThat(response.status()).isEqualTo(400);
        assertThat(problemType(response)).isEqualTo("urn:tollgate:problem:bad-request");
        assertThat(own.seen()).isEmpty();
      }
    }

    @Test
    void allowModePassesOrdinaryNamesButNeverTheGatewaysOwn() {
      try (Own isolated = Own.start(Map.of("TOLLGATE_UNDERSCORE_HEADERS", "allow"))) {
        RecordingUpstream own = isolated.upstream();
        GatewayFixture allowing = isolated.gateway();
        RawHttp.Response response =
            RawHttp.send(
                allowing.port(),
                "GET /u HTTP/1.1\r\nHost: x\r\nX_Custom: 1\r\nX_Tollgate_Subject: admin\r\n"
                    + "X_Forwarded_For: 198.51.100.7\r\nX_Real_IP: 198.51.100.7\r\n"
                    + "Connection: close\r\n\r\n");

        assertThat(response.status()).isEqualTo(200);
        RecordingUpstream.Seen seen = own.last("/u");
        assertThat(seen.header("x_custom")).isEqualTo("1");
        assertThat(seen.headers())
            .doesNotContainKeys("x_tollgate_subject", "x_forwarded_for", "x_real_ip");
      }
    }
  }

  @Nested
  class Admin {
    private RecordingUpstream own;
    private GatewayFixture admin;
    private String token;

    @BeforeEach
    void start(@TempDir Path dir) throws IOException {
      token = "s3cret-" + System.nanoTime();
      Path tokenFile = dir.resolve("token");
      Files.writeString(tokenFile, token + "\n");
      own = new RecordingUpstream();
      admin =
          GatewayFixture.start(
              Routes.simple("all", "pathPrefix: /", own.url()),
              Map.of(
                  "TOLLGATE_BIND_ADDRESS", "127.0.0.2",
                  "TOLLGATE_ADMIN_BIND_ADDRESS", "127.0.0.1",
                  "TOLLGATE_ADMIN_TOKEN_FILE", tokenFile.toString()));
    }

    @AfterEach
    void stop() {
      admin.close();
      own.close();
    }

    private HttpResponse<String> adminGet(String path, String... headers) {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin.adminPort() + path));
      if (headers.length > 0) {
        request.headers(headers);
      }
      return admin.send(request.build());
    }

    @Test
    void theAdminPortListensOnItsOwnAddressOnly() throws Exception {
      InetAddress publicAddress = InetAddress.getByName("127.0.0.2");
      try (Socket ignored = new Socket(publicAddress, admin.adminPort())) {
        throw new AssertionError("the admin port answered on the public address");
      } catch (ConnectException expected) {
        // refused: nothing listens there
      }
      assertThat(adminGet("/health/ready").statusCode()).isEqualTo(200);
    }

    @Test
    void adminEndpointsWantTheBearerTokenButProbesDoNot() {
      HttpResponse<String> anonymous = adminGet("/admin/config");
      HttpResponse<String> wrong = adminGet("/admin/config", "Authorization", "Bearer nope");
      HttpResponse<String> right = adminGet("/admin/config", "Authorization", "Bearer " + token);

      assertThat(anonymous.statusCode()).isEqualTo(401);
      assertThat(anonymous.body()).contains("\"type\":\"urn:tollgate:problem:unauthorized\"");
      assertThat(anonymous.headers().firstValue("WWW-Authenticate")).isPresent();
      assertThat(wrong.statusCode()).isEqualTo(401);
      assertThat(right.statusCode()).isEqualTo(200);
      assertThat(adminGet("/metrics").statusCode()).isEqualTo(401);
      assertThat(adminGet("/metrics", "Authorization", "Bearer " + token).statusCode())
          .isEqualTo(200);
      assertThat(adminGet("/health/live").statusCode()).isEqualTo(200);
      assertThat(adminGet("/health/ready").statusCode()).isEqualTo(200);
      assertThat(own.seen()).isEmpty();
    }

    @Test
    void anOversizedAdminBodyIsRefusedWith413() {
      HttpResponse<String> response =
          admin.send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + admin.adminPort() + "/admin/config"))
                  .header("Authorization", "Bearer " + token)
                  // with 100-continue the refusal comes before the body: without it, the
                  // connection closed on an unread body may reset the answer away (TCP)
                  .expectContinue(true)
                  .POST(HttpRequest.BodyPublishers.ofString("x".repeat(100 * 1024)))
                  .build());

      assertThat(response.statusCode()).isEqualTo(413);
      assertThat(response.body()).contains("\"type\":\"urn:tollgate:problem:payload-too-large\"");
    }
  }

  /**
   * A JWKS endpoint that misbehaves (redirects, floods, hangs) must cost requests nothing: they
   * verify with the last good keys and never wait for a fetch.
   */
  @Nested
  class HostileJwksEndpoint {
    private final TestKeys.SigningKey good = TestKeys.ec("good");
    private final TestKeys.SigningKey elsewhere = TestKeys.ec("elsewhere");
    private final java.util.concurrent.atomic.AtomicInteger fetches =
        new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger redirectTargetHits =
        new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.CountDownLatch hangUntil =
        new java.util.concurrent.CountDownLatch(1);
    private com.sun.net.httpserver.HttpServer jwksServer;
    private RecordingUpstream own;

    @BeforeEach
    void startJwksServer() throws IOException {
      own = new RecordingUpstream();
      jwksServer =
          com.sun.net.httpserver.HttpServer.create(
              new java.net.InetSocketAddress("127.0.0.1", 0), 0);
      jwksServer.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
      jwksServer.createContext(
          "/redirect",
          exchange -> {
            exchange.getResponseHeaders().set("Location", jwksUrl("/target"));
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
          });
      jwksServer.createContext(
          "/target",
          exchange -> {
            redirectTargetHits.incrementAndGet();
            respond(exchange, TestKeys.jwks(elsewhere));
          });
      jwksServer.createContext(
          "/huge",
          exchange ->
              respond(
                  exchange,
                  "{\"keys\":["
                      + good.publicJson()
                      + "],\"padding\":\""
                      + "x".repeat(2 * 1024 * 1024)
                      + "\"}"));
      jwksServer.createContext(
          "/hangs-after-first",
          exchange -> {
            if (fetches.incrementAndGet() == 1) {
              respond(exchange, TestKeys.jwks(good));
              return;
            }
            // headers at once, then the body stops: only an overall deadline ends this fetch
            exchange.sendResponseHeaders(200, 100_000);
            try (var out = exchange.getResponseBody()) {
              out.write("{\"keys\":[".getBytes(java.nio.charset.StandardCharsets.UTF_8));
              out.flush();
              hangUntil.await(60, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException | IOException e) {
              // the gateway gave up on the fetch
            }
          });
      jwksServer.start();
    }

    @AfterEach
    void stopJwksServer() {
      hangUntil.countDown();
      jwksServer.stop(0);
      own.close();
    }

    private String jwksUrl(String path) {
      return "http://127.0.0.1:" + jwksServer.getAddress().getPort() + path;
    }

    private static void respond(com.sun.net.httpserver.HttpExchange exchange, String body)
        throws IOException {
      byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, bytes.length);
      try (var out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }

    private GatewayFixture gatewayWithKeysFrom(String path) {
      return GatewayFixture.startWithPolicies(
          Routes.route(
              "secured",
              """
              match:
                pathPrefix: /
              backend:
                endpoints: [%s]
              auth:
                jwt: required
              """
                  .formatted(own.url())),
          Map.of(
              "TOLLGATE_JWT_JWKS_URI",
              jwksUrl(path),
              "TOLLGATE_JWT_JWKS_ALLOW_HTTP",
              "true",
              "TOLLGATE_JWT_ISSUER",
              TestKeys.ISSUER,
              "TOLLGATE_JWT_AUDIENCE",
              TestKeys.AUDIENCE));
    }

    private static HttpResponse<String> call(GatewayFixture gateway, TestKeys.SigningKey key) {
      return gateway.get("/x", "Authorization", "Bearer " + TestKeys.token(key, "alice", c -> {}));
    }

    @Test
    void aRedirectIsNotFollowed() {
      try (GatewayFixture gateway = gatewayWithKeysFrom("/redirect")) {
        HttpResponse<String> response = call(gateway, elsewhere);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("\"type\":\"urn:tollgate:problem:unauthorized\"");
      }
      assertThat(redirectTargetHits.get()).as("fetches of the redirect target").isZero();
      assertThat(own.seen()).isEmpty();
    }

    @Test
    void aDocumentOverTheSizeCapIsNotLoaded() {
      try (GatewayFixture gateway = gatewayWithKeysFrom("/huge")) {
        assertThat(call(gateway, good).statusCode()).isEqualTo(401);
      }
      assertThat(own.seen()).isEmpty();
    }

    @Test
    void aHangingRefreshNeverDelaysARequest() {
      try (GatewayFixture gateway = gatewayWithKeysFrom("/hangs-after-first")) {
        assertThat(call(gateway, good).statusCode()).isEqualTo(200);

        // Unknown key ids until one starts a refresh (at most one per 10 s), which then hangs.
        Duration slowestUnknown = Duration.ZERO;
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (fetches.get() < 2 && System.nanoTime() < until) {
          long start = System.nanoTime();
          assertThat(call(gateway, TestKeys.ec("rotated")).statusCode()).isEqualTo(401);
          Duration took = Duration.ofNanos(System.nanoTime() - start);
          slowestUnknown = took.compareTo(slowestUnknown) > 0 ? took : slowestUnknown;
          assertThat(gateway.gateway().isRunning()).isTrue();
          await().pollDelay(Duration.ofMillis(200)).until(() -> true);
        }
        assertThat(fetches.get()).as("a refresh started and hangs").isEqualTo(2);
        long start = System.nanoTime();
        HttpResponse<String> unknownKid = call(gateway, TestKeys.ec("rotated-again"));
        HttpResponse<String> knownKid = call(gateway, good);
        Duration whileHanging = Duration.ofNanos(System.nanoTime() - start);

        System.out.printf(
            "[hostile] JWKS refresh hanging: slowest unknown-kid answer %d ms, unknown + known"
                + " kid while hanging %d ms%n",
            slowestUnknown.toMillis(), whileHanging.toMillis());
        assertThat(unknownKid.statusCode()).isEqualTo(401);
        assertThat(knownKid.statusCode()).isEqualTo(200);
        // a request waiting for the fetch would take the whole fetch deadline (5 s) or more
        assertThat(slowestUnknown).isLessThan(Duration.ofSeconds(4));
        assertThat(whileHanging).isLessThan(Duration.ofSeconds(4));
      }
    }
  }

  /**
   * Upstream keep-alive connections of endpoints that left the configuration, or that the upstream
   * closed, are closed by the gateway too: no socket stays open (or in CLOSE_WAIT) towards an
   * upstream that is gone.
   */
  @Nested
  class Rollout {
    private static final Duration UPSTREAM_IDLE = Duration.ofSeconds(1);

    private void warmUp(GatewayFixture gateway, String path) throws Exception {
      List<CompletableFuture<HttpResponse<String>>> requests = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        requests.add(
            gateway
                .http()
                .sendAsync(
                    HttpRequest.newBuilder(gateway.uri(path)).build(),
                    HttpResponse.BodyHandlers.ofString()));
      }
      for (CompletableFuture<HttpResponse<String>> request : requests) {
        assertThat(request.get().statusCode()).isEqualTo(200);
      }
    }

    @Test
    void connectionsToAnEndpointThatLeftTheConfigAreClosed() throws Exception {
      try (RecordingUpstream old = new RecordingUpstream();
          RecordingUpstream next = new RecordingUpstream();
          GatewayFixture gateway =
              GatewayFixture.start(Routes.simple("all", "pathPrefix: /", old.url()))) {
        int oldPort = old.port();
        warmUp(gateway, "/before");
        assertThat(TcpSockets.openTowards(oldPort)).isPositive();

        gateway.writeConfig("routes.yaml", Routes.simple("all", "pathPrefix: /", next.url()));
        await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> RawHttp.get(gateway.port(), "/after").body().equals("seen /after"));
        old.close(); // the old pods go away, as in a rollout

        await()
            .atMost(Duration.ofSeconds(20))
            .untilAsserted(
                () ->
                    assertThat(TcpSockets.statesTowards(oldPort))
                        .as("sockets towards the removed endpoint")
                        .doesNotContain(TcpSockets.ESTABLISHED, TcpSockets.CLOSE_WAIT));
      }
    }

    @Test
    void idleConnectionsAnUpstreamClosedAreSweptWithoutTraffic() throws Exception {
      try (RecordingUpstream upstream = new RecordingUpstream();
          GatewayFixture gateway =
              GatewayFixture.start(
                  Routes.simple("all", "pathPrefix: /", upstream.url()),
                  Map.of("TOLLGATE_UPSTREAM_IDLE_TIMEOUT", UPSTREAM_IDLE.toMillis() + "ms"))) {
        int port = upstream.port();
        warmUp(gateway, "/warm");
        assertThat(TcpSockets.openTowards(port)).isPositive();
        upstream.close(); // closes its ends: ours go to CLOSE_WAIT until the gateway closes them

        await()
            .atMost(UPSTREAM_IDLE.plus(SLACK).plus(SLACK))
            .untilAsserted(
                () ->
                    assertThat(TcpSockets.statesTowards(port))
                        .doesNotContain(TcpSockets.ESTABLISHED, TcpSockets.CLOSE_WAIT));
      }
    }
  }

  /** One client rotating through the addresses of its IPv6 /64 still has one bucket. */
  @Nested
  class RotatingIpv6Client {
    @Test
    void addressesFromOneSlash64ShareABucketWhileAnotherNetworkHasItsOwn() {
      try (RecordingUpstream own = new RecordingUpstream();
          GatewayFixture gateway =
              GatewayFixture.startWithPolicies(
                  Routes.simple("all", "pathPrefix: /", own.url())
                      + """
                      ---
                      apiVersion: tollgate.dev/v1alpha1
                      kind: RateLimitPolicy
                      metadata: {name: per-ip, namespace: test}
                      spec:
                        targetRefs: [{kind: Route, name: all}]
                        limits:
                          - name: per-ip
                            rate: {requests: 2, period: 1h}
                            key: [{clientIP: true}]
                      """,
                  // the test client stands in for a load balancer that reports the client's address
                  Map.of("TOLLGATE_TRUSTED_PROXIES", "127.0.0.1"))) {
        List<Integer> attacker = new ArrayList<>();
        for (String address :
            List.of("2001:db8:7:1::1", "2001:db8:7:1::2", "2001:db8:7:1:ffff::9")) {
          attacker.add(gateway.get("/x", "X-Forwarded-For", address).statusCode());
        }
        HttpResponse<String> otherNetwork = gateway.get("/x", "X-Forwarded-For", "2001:db8:7:2::1");

        assertThat(attacker).containsExactly(200, 200, 429);
        assertThat(otherNetwork.statusCode()).isEqualTo(200);
        assertThat(own.seen()).hasSize(3);
        assertThat(own.seen().getLast().header("x-real-ip")).isEqualTo("2001:db8:7:2:0:0:0:1");
        assertThat(own.seen().getLast().header("forwarded"))
            .startsWith("for=\"[2001:db8:7:2:0:0:0:1]\";");
      }
    }
  }
}
