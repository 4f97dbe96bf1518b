package dev.tollgate.gateway.http2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.gateway.auth.TestKeys;
import dev.tollgate.gateway.ratelimit.PolicyYaml;
import dev.tollgate.gateway.support.Curl;
import dev.tollgate.gateway.support.Echo;
import dev.tollgate.gateway.support.GatewayFixture;
import dev.tollgate.gateway.support.TestUpstream;
import dev.tollgate.testkit.TempDirs;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The request pipeline over HTTP/2 (h2c, curl with prior knowledge) behaves as over HTTP/1.1:
 * forwarding headers and request id, JWT refusals and rate limits as problem+json with their
 * headers, request bodies, large streamed responses; and curl's h2c Upgrade from HTTP/1.1 works.
 */
class Http2PipelineIT {
  private static final TestKeys.SigningKey KEY = TestKeys.rsa("h2-key");
  private static final int LARGE = 8 * 1024 * 1024;

  private static Path dir;
  private static TestUpstream echo;
  private static TestUpstream large;
  private static GatewayFixture gateway;

  @BeforeAll
  static void start() throws IOException {
    dir = TempDirs.create("tollgate-h2-pipeline");
    Files.writeString(dir.resolve("jwks.json"), TestKeys.jwks(KEY));
    echo = TestUpstream.echo("orders");
    large =
        TestUpstream.start(
            "large",
            (req, res) -> {
              try (OutputStream out = res.outputStream()) {
                byte[] chunk = pattern(64 * 1024);
                for (int sent = 0; sent < LARGE; sent += chunk.length) {
                  out.write(chunk);
                }
              }
            });
    gateway =
        GatewayFixture.startWithPolicies(
            PolicyYaml.route("orders", "/orders", "none", echo.url())
                + PolicyYaml.route("private", "/private", "required", echo.url())
                + PolicyYaml.route("large", "/large", "none", large.url())
                + PolicyYaml.route("limited", "/limited", "none", echo.url())
                + PolicyYaml.policy(
                    "two",
                    "limited",
                    "",
                    """
                    - name: per-client
                      rate: {requests: 2, period: 1h}
                      key: [{clientIP: true}]
                    """),
            Map.of(
                "TOLLGATE_JWT_ISSUER", TestKeys.ISSUER,
                "TOLLGATE_JWT_AUDIENCE", TestKeys.AUDIENCE,
                "TOLLGATE_JWT_JWKS_FILE", dir.resolve("jwks.json").toString()));
  }

  @AfterAll
  static void stop() {
    gateway.close();
    echo.close();
    large.close();
    TempDirs.deleteRecursively(dir);
  }

  private static byte[] pattern(int length) {
    byte[] bytes = new byte[length];
    new Random(18).nextBytes(bytes);
    return bytes;
  }

  private static String url(String target) {
    return "http://127.0.0.1:" + gateway.port() + target;
  }

  private static Curl.Response h2(String target, String... args) {
    String[] all = Arrays.copyOf(args, args.length + 2);
    all[args.length] = "--http2-prior-knowledge";
    all[args.length + 1] = url(target);
    Curl.Response response = Curl.run(all);
    assertThat(response.version()).isEqualTo("2");
    return response;
  }

  @Test
  void forwardsWithTheGatewaysOwnHeadersAndStripsForgedOnes() {
    Curl.Response response =
        h2(
            "/orders/7?q=a%20b",
            "-H",
            "X-Forwarded-For: 6.6.6.6",
            "-H",
            "X-Tollgate-Subject: admin",
            "-H",
            "X-Request-Id: trace-123",
            "-H",
            "X-Custom: kept");
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.header("x-request-id")).isEqualTo("trace-123");
    Echo seen = Echo.parse(response.text());
    assertThat(seen.target()).isEqualTo("/orders/7?q=a%20b");
    assertThat(seen.header("x-forwarded-for")).isEqualTo("127.0.0.1");
    assertThat(seen.header("x-forwarded-proto")).isEqualTo("http");
    assertThat(seen.header("x-forwarded-host")).isEqualTo("127.0.0.1:" + gateway.port());
    assertThat(seen.header("x-request-id")).isEqualTo("trace-123");
    assertThat(seen.header("x-custom")).isEqualTo("kept");
    assertThat(seen.header("host")).isEqualTo("127.0.0.1:" + echo.port());
    assertThat(seen.headers()).doesNotContainKeys("x-tollgate-subject", "te");
    assertThat(seen.bodyBytes()).isZero();
  }

  @Test
  void missingTokenIs401ProblemWithChallenge() {
    Curl.Response response = h2("/private/1");
    assertThat(response.status()).isEqualTo(401);
    assertThat(response.header("content-type")).isEqualTo("application/problem+json");
    assertThat(response.header("www-authenticate")).startsWith("Bearer");
    assertThat(response.header("x-request-id")).isNotBlank();
    assertThat(response.text()).contains("\"status\":401");

    String token = TestKeys.token(KEY, "alice", c -> {});
    Curl.Response admitted = h2("/private/1", "-H", "Authorization: Bearer " + token);
    assertThat(admitted.status()).isEqualTo(200);
    assertThat(Echo.parse(admitted.text()).header("x-tollgate-subject")).isEqualTo("alice");
  }

  @Test
  void rateLimitAnswers429WithItsHeaders() {
    for (int i = 1; i <= 2; i++) {
      Curl.Response ok = h2("/limited/" + i);
      assertThat(ok.status()).isEqualTo(200);
      assertThat(ok.header("ratelimit")).contains("\"per-client\";r=" + (2 - i));
    }
    Curl.Response refused = h2("/limited/3");
    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.header("content-type")).isEqualTo("application/problem+json");
    assertThat(refused.header("retry-after")).isNotBlank();
    assertThat(refused.header("ratelimit")).contains("\"per-client\";r=0");
    assertThat(refused.text()).contains("urn:tollgate:problem:quota-exceeded");
  }

  @Test
  void requestBodyReachesTheUpstreamWhole() throws IOException {
    Path upload = dir.resolve("upload.bin");
    Files.write(upload, pattern(1024 * 1024 + 7));
    Curl.Response response = h2("/orders/upload", "--data-binary", "@" + upload);
    assertThat(response.status()).isEqualTo(200);
    Echo seen = Echo.parse(response.text());
    assertThat(seen.method()).isEqualTo("POST");
    assertThat(seen.bodyBytes()).isEqualTo(1024 * 1024 + 7);
  }

  @Test
  void largeResponseIsStreamedWhole() {
    Curl.Response response = h2("/large/file");
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.body()).hasSize(LARGE);
    byte[] chunk = pattern(64 * 1024);
    assertThat(Arrays.copyOfRange(response.body(), LARGE - chunk.length, LARGE)).isEqualTo(chunk);
  }

  @Test
  void h2cUpgradeFromHttp11IsAccepted() {
    Curl.Response response = Curl.run("--http2", url("/orders/upgraded"));
    assertThat(response.version()).isEqualTo("2");
    assertThat(response.status()).isEqualTo(200);
    assertThat(Echo.parse(response.text()).target()).isEqualTo("/orders/upgraded");
  }
}
