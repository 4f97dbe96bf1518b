package dev.tollgate.gateway.http2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.gateway.support.Curl;
import dev.tollgate.gateway.support.GatewayFixture;
import dev.tollgate.gateway.support.RawH2;
import dev.tollgate.gateway.support.Routes;
import dev.tollgate.gateway.support.TestUpstream;
import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * HTTP/2 clients that try to make the gateway spend more than one connection's share, on real
 * sockets: each case ends with the offending connection closed and an ordinary client still served.
 */
class Http2HostileClientIT {
  private static final int MAX_STREAMS = 4;
  private static final int MAX_RAPID_RESETS = 20;

  private static volatile CountDownLatch release = new CountDownLatch(0);
  private static TestUpstream upstream;
  private static GatewayFixture gateway;

  @BeforeAll
  static void start() {
    upstream =
        TestUpstream.start(
            "held",
            (req, res) -> {
              // held until the test lets go (or 20 s), so streams stay open as long as needed
              release.await(20, TimeUnit.SECONDS);
              res.send("ok");
            });
    gateway =
        GatewayFixture.start(
            Routes.simple("all", "pathPrefix: /", upstream.url()),
            Map.of(
                "TOLLGATE_H2_MAX_CONCURRENT_STREAMS", String.valueOf(MAX_STREAMS),
                "TOLLGATE_H2_MAX_RAPID_RESETS", String.valueOf(MAX_RAPID_RESETS)));
  }

  @AfterAll
  static void stop() {
    release.countDown();
    gateway.close();
    upstream.close();
  }

  @AfterEach
  void letGo() {
    release.countDown();
    await().atMost(Duration.ofSeconds(30)).until(() -> inFlight() == 0);
    upstream.resetHits();
  }

  private static int inFlight() {
    return gateway.gateway().requestsInFlight();
  }

  private static void assertAnotherClientIsServed() {
    release.countDown();
    Curl.Response response =
        Curl.run("--http2-prior-knowledge", "http://127.0.0.1:" + gateway.port() + "/other");
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.text()).isEqualTo("ok");
  }

  @Test
  void rapidResetFloodIsAnsweredWithGoAwayAndTheConnectionClosed() {
    release = new CountDownLatch(1);
    try (RawH2 client = RawH2.connect(gateway.port())) {
      int sent = 0;
      // far more than the guard allows; the connection must end before all are sent
      for (int stream = 1; stream < 2 * 1000; stream += 2) {
        try {
          client.request(stream, "GET", "/flood", Map.of(), true);
          client.reset(stream, RawH2.CANCEL);
          sent++;
        } catch (UncheckedIOException closed) {
          break;
        }
      }
      // The server closes with the rest of the flood unread, which resets the connection: when the
      // reset overtakes the GOAWAY still queued to be sent (a loaded machine), the client sees
      // only the reset. A GOAWAY that does arrive must say why.
      RawH2.Frame goAway = client.await(RawH2.GOAWAY);
      if (goAway != null) {
        assertThat(goAway.errorCode())
            .as("GOAWAY after %d reset streams", sent)
            .isEqualTo(RawH2.ENHANCE_YOUR_CALM);
      }
      assertThat(client.awaitClosed()).as("connection ended after %d reset streams", sent).isTrue();
    }
    assertAnotherClientIsServed();
    // streams already dispatched before the guard tripped still run; none after it
    await().atMost(Duration.ofSeconds(30)).until(() -> inFlight() == 0);
    assertThat(upstream.hits()).isLessThanOrEqualTo(MAX_RAPID_RESETS + 3);
  }

  @Test
  void theAdvertisedStreamLimitHoldsAndAStreamBeyondItEndsTheConnection() {
    release = new CountDownLatch(1);
    try (RawH2 client = RawH2.connect(gateway.port())) {
      assertThat(client.serverSettings()).containsEntry(0x3, (long) MAX_STREAMS);
      for (int i = 0; i < MAX_STREAMS; i++) {
        client.request(1 + 2 * i, "GET", "/held", Map.of(), true);
      }
      await().atMost(Duration.ofSeconds(20)).until(() -> upstream.hits() == MAX_STREAMS);
      client.request(1 + 2 * MAX_STREAMS, "GET", "/one-too-many", Map.of(), true);
      RawH2.Frame goAway = client.await(RawH2.GOAWAY);
      assertThat(goAway).isNotNull();
      assertThat(goAway.errorCode()).isEqualTo(RawH2.REFUSED_STREAM);
    }
    assertThat(upstream.hits()).isEqualTo(MAX_STREAMS);
    assertAnotherClientIsServed();
  }

  @Test
  void headerBlockLargerThanTheLimitAcrossContinuationsEndsTheConnection() {
    try (RawH2 client = RawH2.connect(gateway.port())) {
      ByteArrayOutputStream block = new ByteArrayOutputStream();
      RawH2.pseudoHeaders(block, "GET", "/big");
      client.headers(1, block.toByteArray(), true, false);
      // three CONTINUATIONs of 10 KB each: 30 KB > TOLLGATE_MAX_HEADER_SIZE (16384)
      int sent = 0;
      try {
        for (int i = 0; i < 3; i++) {
          client.continuation(1, fields(10_000), i == 2);
          sent++;
        }
      } catch (UncheckedIOException closed) {
        // the server may end the connection as soon as the block is past the limit
      }
      // its GOAWAY, if the reset of the unread rest did not overtake it (as with the flood below)
      assertThat(client.awaitClosed()).as("connection ended after %d CONTINUATIONs", sent).isTrue();
    }
    assertThat(upstream.hits()).isZero();
    assertAnotherClientIsServed();
  }

  @Test
  void headerListThatHpackInflatesPastTheLimitIsRefused431() {
    try (RawH2 client = RawH2.connect(gateway.port())) {
      ByteArrayOutputStream block = new ByteArrayOutputStream();
      RawH2.pseudoHeaders(block, "GET", "/inflated");
      // one 3 KB field added to the dynamic table (literal with incremental indexing, 0x40), then
      // named again by a single byte (indexed field 62, 0x80 | 62) 100 times: a 3 KB header block
      // that stands for 300 KB of headers
      block.write(0x40);
      writeString(block, "x-filler");
      writeString(block, "a".repeat(3000));
      for (int i = 0; i < 100; i++) {
        block.write(0x80 | 62);
      }
      client.headers(1, block.toByteArray(), true, true);
      assertThat(client.awaitStatus(1)).isEqualTo(431);
    }
    assertThat(upstream.hits()).isZero();
    assertAnotherClientIsServed();
  }

  @Test
  void clientsLeavingWhileTheUpstreamAnswersDoNotOpenItsCircuit() {
    release = new CountDownLatch(1);
    // 24 calls: more than the circuit breaker's window (20), every one cut off by its client
    List<RawH2> clients = new ArrayList<>();
    try {
      for (int c = 0; c < 6; c++) {
        RawH2 client = RawH2.connect(gateway.port());
        clients.add(client);
        for (int i = 0; i < MAX_STREAMS; i++) {
          client.request(1 + 2 * i, "GET", "/held", Map.of(), true);
        }
      }
      await().atMost(Duration.ofSeconds(20)).until(() -> upstream.hits() == 6 * MAX_STREAMS);
    } finally {
      clients.forEach(RawH2::close);
    }
    release.countDown();
    await().atMost(Duration.ofSeconds(30)).until(() -> inFlight() == 0);
    // the upstream answered every call; a client leaving is no failure of the upstream's
    assertAnotherClientIsServed();
  }

  @Test
  void connectionHeaderIsMalformedInHttp2AndEndsTheConnection() {
    try (RawH2 client = RawH2.connect(gateway.port())) {
      client.request(1, "GET", "/hop", Map.of("connection", "keep-alive"), true);
      RawH2.Frame goAway = client.await(RawH2.GOAWAY);
      assertThat(goAway).isNotNull();
      assertThat(goAway.errorCode()).isEqualTo(RawH2.PROTOCOL_ERROR);
    }
    assertThat(upstream.hits()).isZero();
    assertAnotherClientIsServed();
  }

  /** Literal fields {@code x-fill-N: aaaa...} adding up to about {@code bytes}. */
  private static byte[] fields(int bytes) {
    ByteArrayOutputStream block = new ByteArrayOutputStream();
    for (int i = 0; block.size() < bytes; i++) {
      RawH2.literal(block, "x-fill-" + i, "a".repeat(100));
    }
    return block.toByteArray();
  }

  private static void writeString(ByteArrayOutputStream block, String value) {
    ByteArrayOutputStream literal = new ByteArrayOutputStream();
    RawH2.literal(literal, "", value);
    byte[] bytes = literal.toByteArray();
    // drop the 0x00 type byte and the empty name (length 0) RawH2.literal wrote first
    block.write(bytes, 2, bytes.length - 2);
  }
}
