package dev.tollgate.gateway.http2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.gateway.support.Curl;
import dev.tollgate.gateway.support.GatewayFixture;
import dev.tollgate.gateway.support.RawH2;
import dev.tollgate.gateway.support.Routes;
import dev.tollgate.gateway.support.TestUpstream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The client limits of HTTP/1 (docs/gateway.md, client limits) on HTTP/2 connections, where one
 * connection carries many requests at once: the body deadline is per stream, a client that leaves
 * mid-body frees its requests, and the connection cap answers with the same problem.
 */
class Http2ClientLimitsIT {
  private static TestUpstream upstream;
  private static GatewayFixture gateway;

  @BeforeAll
  static void start() {
    upstream = TestUpstream.echo("echo");
    gateway =
        GatewayFixture.start(
            Routes.simple("all", "pathPrefix: /", upstream.url()),
            Map.of("TOLLGATE_MAX_CONNECTIONS", "2"));
  }

  @AfterAll
  static void stop() {
    gateway.close();
    upstream.close();
  }

  private static double metric(GatewayFixture gateway, String prefix) {
    return gateway
        .metricLine(prefix)
        .map(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .orElse(0.0);
  }

  private static Curl.Response curl(String target) {
    return Curl.run("--http2-prior-knowledge", "http://127.0.0.1:" + gateway.port() + target);
  }

  private static void awaitNoRequestInFlight() {
    await().atMost(Duration.ofSeconds(30)).until(() -> gateway.gateway().requestsInFlight() == 0);
  }

  @Test
  void stalledBodyIsAnswered408OnItsStreamWhileTheConnectionGoesOn() {
    String bodyTimeouts = "tollgate_client_timeouts_total{phase=\"body\"";
    double timeoutsBefore = metric(gateway, bodyTimeouts); // a counter shared by the JVM's gateways
    try (GatewayFixture impatient =
            GatewayFixture.start(
                Routes.simple("all", "pathPrefix: /", upstream.url()),
                Map.of("TOLLGATE_CLIENT_BODY_TIMEOUT", "1s"));
        RawH2 client = RawH2.connect(impatient.port())) {
      client.request(1, "POST", "/upload", Map.of("content-length", "100"), false);
      client.data(1, "0123456789".getBytes(StandardCharsets.US_ASCII), false);
      assertThat(client.awaitStatus(1)).isEqualTo(408);

      client.request(3, "GET", "/after", Map.of(), true);
      assertThat(client.awaitStatus(3)).isEqualTo(200);
      assertThat(metric(impatient, bodyTimeouts)).isEqualTo(timeoutsBefore + 1);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> impatient.gateway().requestsInFlight() == 0);
    }
  }

  @Test
  void connectionStalledInsideAHeaderBlockIsClosedWhenIdle() {
    try (GatewayFixture brief =
            GatewayFixture.start(
                Routes.simple("all", "pathPrefix: /", upstream.url()),
                Map.of("TOLLGATE_KEEPALIVE_TIMEOUT", "2s"));
        RawH2 client = RawH2.connect(brief.port())) {
      client.serverSettings(); // read and acknowledged first: nothing may follow the HEADERS
      ByteArrayOutputStream block = new ByteArrayOutputStream();
      RawH2.pseudoHeaders(block, "GET", "/stalled");
      client.headers(1, block.toByteArray(), true, false); // no END_HEADERS, no CONTINUATION
      await().atMost(Duration.ofSeconds(20)).until(() -> brief.gateway().clientConnections() == 1);
      // the socket timeout of RawH2 (10 s) is well above the 2 s keep-alive timeout
      assertThat(client.awaitClosed()).isTrue();
      await().atMost(Duration.ofSeconds(20)).until(() -> brief.gateway().clientConnections() == 0);
    }
  }

  @Test
  void clientThatLeavesMidBodyFreesItsRequests() {
    try (RawH2 client = RawH2.connect(gateway.port())) {
      for (int stream = 1; stream <= 5; stream += 2) {
        client.request(stream, "POST", "/upload", Map.of(), false);
        client.data(stream, "partial".getBytes(StandardCharsets.US_ASCII), false);
      }
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(() -> assertThat(gateway.gateway().requestsInFlight()).isEqualTo(3));
    }
    // without the connection waking them, these three would wait for their bodies until the
    // body timeout (60 s), and without that, forever
    awaitNoRequestInFlight();
  }

  @Test
  void streamsOfAConnectionUpgradedFromHttp11AreFreedWhenTheClientLeaves() {
    try (RawH2 client = RawH2.upgrade(gateway.port(), "/upgraded")) {
      assertThat(client.awaitStatus(1)).isEqualTo(200);
      client.request(3, "POST", "/upload", Map.of(), false);
      client.data(3, "partial".getBytes(StandardCharsets.US_ASCII), false);
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(() -> assertThat(gateway.gateway().requestsInFlight()).isEqualTo(1));
    }
    awaitNoRequestInFlight();
  }

  @Test
  void connectionOverTheCapGetsTheOverloadedProblemThenIsClosed() {
    try (RawH2 first = RawH2.connect(gateway.port());
        RawH2 second = RawH2.connect(gateway.port())) {
      first.serverSettings();
      second.serverSettings();
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> gateway.gateway().clientConnections() == 2);

      Curl.Response refused = curl("/over-cap");
      assertThat(refused.version()).isEqualTo("2");
      assertThat(refused.status()).isEqualTo(503);
      assertThat(refused.header("content-type")).isEqualTo("application/problem+json");
      assertThat(refused.header("retry-after")).isEqualTo("1");
      assertThat(refused.text()).contains("urn:tollgate:problem:overloaded");
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> gateway.gateway().clientConnections() == 0);
    assertThat(curl("/under-cap").status()).isEqualTo(200);
  }
}
