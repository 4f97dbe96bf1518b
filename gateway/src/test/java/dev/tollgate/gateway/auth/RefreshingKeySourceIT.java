package dev.tollgate.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.tollgate.gateway.auth.TestKeys.SigningKey;
import dev.tollgate.gateway.tls.CaBundle;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Key rotation against a real JWKS HTTP endpoint on loopback and a real file. */
class RefreshingKeySourceIT {
  private final SigningKey oldKey = TestKeys.rsa("2026-old");
  private final SigningKey newKey = TestKeys.ec("2026-new");
  private final AtomicReference<String> published = new AtomicReference<>();
  private final AtomicInteger fetches = new AtomicInteger();
  private HttpServer jwksServer;
  private URI jwksUri;

  @BeforeEach
  void startJwksServer() throws IOException {
    published.set(TestKeys.jwks(oldKey));
    jwksServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    jwksServer.createContext(
        "/jwks",
        exchange -> {
          fetches.incrementAndGet();
          byte[] body = published.get().getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "application/jwk-set+json");
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    jwksServer.start();
    jwksUri = URI.create("http://127.0.0.1:" + jwksServer.getAddress().getPort() + "/jwks");
  }

  @AfterEach
  void stopJwksServer() {
    jwksServer.stop(0);
  }

  private static RefreshingKeySource fromUri(
      URI uri, Duration minInterval, Duration maxAge, Duration deadline) {
    return RefreshingKeySource.fromUri(
        uri,
        CaBundle.clientContext(JwtSettings.JWKS_CA_FILE, Optional.empty()),
        minInterval,
        maxAge,
        deadline);
  }

  private static JwtVerifier verifier(KeySource keys) {
    return JwtVerifierTest.verifier(keys);
  }

  private static boolean accepts(JwtVerifier verifier, String token) {
    try {
      verifier.verify(token);
      return true;
    } catch (InvalidTokenException e) {
      return false;
    }
  }

  @Test
  void picksUpARotatedKeyFromTheUriOnItsFirstUnknownKid() throws Exception {
    JwtVerifier verifier =
        verifier(
            fromUri(jwksUri, Duration.ofMillis(200), Duration.ofHours(1), Duration.ofSeconds(2)));
    assertThat(verifier.verify(TestKeys.token(oldKey, "alice", c -> {})).subject())
        .contains("alice");

    published.set(TestKeys.jwks(oldKey, newKey));
    String rotated = TestKeys.token(newKey, "alice", c -> {});

    await().atMost(Duration.ofSeconds(10)).until(() -> accepts(verifier, rotated));
  }

  @Test
  void stopsAcceptingAKeyRemovedFromTheUriAfterMaxAge() throws Exception {
    JwtVerifier verifier =
        verifier(
            fromUri(
                jwksUri, Duration.ofMillis(100), Duration.ofMillis(300), Duration.ofSeconds(2)));
    String oldToken = TestKeys.token(oldKey, "alice", c -> {});
    assertThat(verifier.verify(oldToken).subject()).contains("alice");

    published.set(TestKeys.jwks(newKey));

    await().atMost(Duration.ofSeconds(10)).until(() -> !accepts(verifier, oldToken));
  }

  @Test
  void aCachedTokenIsRefusedOnceItExpires() throws Exception {
    JwtSettings noLeeway =
        new JwtSettings(
            Optional.of(TestKeys.ISSUER),
            Optional.of(TestKeys.AUDIENCE),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            JwtSettings.DEFAULT_ASYMMETRIC,
            Duration.ZERO);
    JwtVerifier cached =
        new JwtVerifier(
            noLeeway,
            fromUri(jwksUri, Duration.ofMillis(100), Duration.ofHours(1), Duration.ofSeconds(2)));
    java.time.Instant now = java.time.Instant.now();
    String shortLived =
        TestKeys.sign(
            oldKey, TestKeys.claims("alice").issueTime(now).expirationTime(now.plusSeconds(2)));
    assertThat(accepts(cached, shortLived)).isTrue();
    assertThat(accepts(cached, shortLived)).isTrue();

    await().atMost(Duration.ofSeconds(10)).until(() -> !accepts(cached, shortLived));
  }

  @Test
  void unknownKidsFromAFloodCostAtMostOneFetchPerInterval() {
    JwtVerifier verifier =
        verifier(fromUri(jwksUri, Duration.ofHours(1), Duration.ofHours(1), Duration.ofSeconds(2)));
    int fetchesAfterStart = fetches.get();

    for (int i = 0; i < 50; i++) {
      SigningKey random = TestKeys.ec("random-" + i);
      assertThatThrownBy(() -> verifier.verify(TestKeys.token(random, "mallory", c -> {})))
          .isInstanceOf(InvalidTokenException.class);
    }

    assertThat(fetchesAfterStart).isEqualTo(1);
    assertThat(fetches.get()).isEqualTo(1);
  }

  @Test
  void keepsTheLastGoodKeysWhenTheEndpointServesGarbage() throws Exception {
    RefreshingKeySource source =
        fromUri(jwksUri, Duration.ofMillis(1), Duration.ofMillis(1), Duration.ofSeconds(2));
    JwtVerifier verifier = verifier(source);
    published.set("<html>maintenance</html>");

    reloadPublished(source);

    assertThat(verifier.verify(TestKeys.token(oldKey, "alice", c -> {})).subject())
        .contains("alice");
  }

  static List<String> documentsWithoutAUsableKey() {
    return List.of(
        "{\"keys\":[]}",
        TestKeys.jwks(TestKeys.rsa("enc-only")).replace("\"use\":\"sig\"", "\"use\":\"enc\""),
        "{\"keys\":[{\"kty\":\"oct\",\"kid\":\"shared\",\"k\":\"c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0\"}]}",
        "{\"keys\":[{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo\"}]}",
        "{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"no-modulus\",\"e\":\"AQAB\"}]}");
  }

  @ParameterizedTest
  @MethodSource("documentsWithoutAUsableKey")
  void keepsTheLastGoodKeysWhenTheEndpointPublishesNoUsableKey(String document) throws Exception {
    RefreshingKeySource source =
        fromUri(jwksUri, Duration.ofMillis(1), Duration.ofHours(1), Duration.ofSeconds(2));
    JwtVerifier verifier = verifier(source);
    published.set(document);

    reloadPublished(source);

    assertThat(verifier.verify(TestKeys.token(oldKey, "alice", c -> {})).subject())
        .contains("alice");
  }

  /**
   * Returns once {@code source} has loaded the published document: a second fetch starts only after
   * the first one was applied.
   */
  private void reloadPublished(RefreshingKeySource source) {
    int before = fetches.get();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> source.refreshForUnknownKey() != null && fetches.get() >= before + 2);
  }

  @Test
  void reloadsAJwksFileWhenItChanges(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("jwks.json");
    Files.writeString(file, TestKeys.jwks(oldKey));
    JwtVerifier verifier = verifier(RefreshingKeySource.fromFile(file, Duration.ofMillis(100)));
    String rotated = TestKeys.token(newKey, "bob", c -> {});
    assertThatThrownBy(() -> verifier.verify(rotated)).isInstanceOf(InvalidTokenException.class);

    // replaced atomically, as Kubernetes does for a mounted Secret
    Path staged = dir.resolve("jwks.json.new");
    Files.writeString(staged, TestKeys.jwks(newKey));
    Files.move(staged, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);

    await().atMost(Duration.ofSeconds(10)).until(() -> accepts(verifier, rotated));
    assertThatThrownBy(() -> verifier.verify(TestKeys.token(oldKey, "bob", c -> {})))
        .isInstanceOf(InvalidTokenException.class);
  }
}
