package dev.tollgate.gateway.ratelimit;

import static dev.tollgate.gateway.ratelimit.PolicyYaml.policy;
import static dev.tollgate.gateway.ratelimit.PolicyYaml.route;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.gateway.auth.TestKeys;
import dev.tollgate.gateway.auth.TestKeys.SigningKey;
import dev.tollgate.gateway.support.TestUpstream;
import dev.tollgate.testkit.TempDirs;
import dev.tollgate.testkit.redis.RedisServerExtension;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Policy enforcement end to end: real gateways (two replicas on one real redis-server), a real
 * upstream, tokens signed with real keys and verified against a JWKS file.
 */
class PolicyEnforcementIT {
  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

  static final SigningKey KEY = TestKeys.rsa("it-key");
  static Path jwksDir;
  static TestUpstream upstream;
  private final List<PolicyGateway> gateways = new ArrayList<>();

  @BeforeAll
  static void startUpstreamAndKeys() throws Exception {
    upstream = TestUpstream.echo("orders");
    jwksDir = TempDirs.create("tollgate-jwks");
    Files.writeString(jwksDir.resolve("jwks.json"), TestKeys.jwks(KEY));
  }

  @AfterAll
  static void stopUpstream() {
    upstream.close();
    TempDirs.deleteRecursively(jwksDir);
  }

  @AfterEach
  void stopGateways() {
    gateways.forEach(PolicyGateway::close);
  }

  private Map<String, String> settings(String... extra) {
    Map<String, String> settings = new java.util.HashMap<>();
    settings.put("TOLLGATE_REDIS_URL", REDIS.uri());
    settings.put("TOLLGATE_GATEWAY_NAME", "it");
    // These tests check what Redis decides, so no decision may fall back to a failure mode: a
    // burst of 500 on two shared cores, or a cold start, takes longer than the 50ms default.
    // FailureModesIT covers the budget.
    settings.put("TOLLGATE_LIMITER_TIMEOUT", "5s");
    settings.put("TOLLGATE_JWT_ISSUER", TestKeys.ISSUER);
    settings.put("TOLLGATE_JWT_AUDIENCE", TestKeys.AUDIENCE);
    settings.put("TOLLGATE_JWT_JWKS_FILE", jwksDir.resolve("jwks.json").toString());
    for (int i = 0; i < extra.length; i += 2) {
      settings.put(extra[i], extra[i + 1]);
    }
    return settings;
  }

  private PolicyGateway gateway(String yaml, String... extra) {
    PolicyGateway gateway = PolicyGateway.start(yaml, settings(extra));
    gateways.add(gateway);
    return gateway;
  }

  private static String bearer(String subject, String plan) {
    return "Bearer " + TestKeys.token(KEY, subject, c -> c.addPayloadClaim("plan", plan));
  }

  @Test
  void twoReplicasOnOneRedisAdmitExactlyTheLimitOfAConcurrentBurst() {
    PolicyGateway first =
        gateway(
            route("orders", "/orders", "required", upstream.url())
                + policy(
                    "per-user",
                    "orders",
                    "",
                    """
                    - name: per-user
                      algorithm: sliding-log
                      rate: {requests: 50, period: 1m}
                      key: [{claim: sub}]
                      tiers:
                        claim: plan
                        values:
                          premium: {rate: {requests: 100, period: 1m}}
                    """));
    PolicyGateway second = first.replica(settings());
    gateways.add(second);

    List<Integer> alice = burst(List.of(first, second), bearer("alice", "free"), 500);
    List<Integer> carol = burst(List.of(first, second), bearer("carol", "premium"), 150);
    HttpResponse<String> bob = first.get("/orders/1", "Authorization", bearer("bob", "free"));

    assertThat(
            metricValue(first.metrics().body(), "policy=\"shop/per-user\"", "decision=\"error\""))
        .isZero();
    assertThat(alice.stream().filter(s -> s == 200).count()).isEqualTo(50);
    assertThat(alice.stream().filter(s -> s == 429).count()).isEqualTo(450);
    assertThat(carol.stream().filter(s -> s == 200).count()).isEqualTo(100);
    assertThat(carol.stream().filter(s -> s == 429).count()).isEqualTo(50);
    assertThat(bob.statusCode()).isEqualTo(200);
    assertThat(bob.headers().firstValue("RateLimit")).contains("\"per-user\";r=49;t=60");
  }

  /** {@code count} requests at once, alternating between the gateways; their status codes. */
  private static List<Integer> burst(List<PolicyGateway> targets, String authorization, int count) {
    List<CompletableFuture<HttpResponse<Void>>> calls = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      HttpRequest request =
          HttpRequest.newBuilder(targets.get(i % targets.size()).uri("/orders/" + i))
              .header("Authorization", authorization)
              .timeout(Duration.ofSeconds(30))
              .build();
      calls.add(PolicyGateway.http().sendAsync(request, HttpResponse.BodyHandlers.discarding()));
    }
    return calls.stream().map(c -> c.join().statusCode()).toList();
  }

  @Test
  void jwtMatrixRefusesEveryBadTokenWithProblemAndChallenge() {
    PolicyGateway gateway =
        gateway(
            route("orders", "/orders", "required", upstream.url())
                + route("open", "/open", "optional", upstream.url()));
    SigningKey stranger = TestKeys.rsa("it-key");
    java.time.Instant now = java.time.Instant.now();
    String payload = TestKeys.payload("alice");
    Map<String, String> badTokens = new java.util.LinkedHashMap<>();
    badTokens.put(
        "expired",
        TestKeys.sign(
            KEY,
            TestKeys.claims("alice")
                .issueTime(now.minusSeconds(7200))
                .notBefore(now.minusSeconds(7200))
                .expirationTime(now.minusSeconds(3600))));
    badTokens.put(
        "not yet valid",
        TestKeys.sign(KEY, TestKeys.claims("alice").notBefore(now.plusSeconds(3600))));
    badTokens.put("wrong issuer", TestKeys.sign(KEY, TestKeys.claims("alice").issuer("https://x")));
    badTokens.put(
        "wrong audience",
        TestKeys.sign(KEY, TestKeys.claims("alice").audience(List.of("someone-else"))));
    badTokens.put("alg none", TestKeys.raw("{\"alg\":\"none\"}", payload, new byte[0]));
    badTokens.put(
        "HS256 with the RSA public key",
        TestKeys.hmacSigned("{\"alg\":\"HS256\",\"kid\":\"it-key\"}", payload, TestKeys.pem(KEY)));
    badTokens.put("unknown kid", TestKeys.token(TestKeys.ec("nobody"), "alice", c -> {}));
    badTokens.put("bad signature", TestKeys.token(stranger, "alice", c -> {}));
    badTokens.put("malformed segments", "abc.def");

    HttpResponse<String> missing = gateway.get("/orders/1");
    assertThat(missing.statusCode()).isEqualTo(401);
    assertThat(missing.headers().firstValue("WWW-Authenticate"))
        .contains("Bearer realm=\"tollgate\"");

    badTokens.forEach(
        (name, token) -> {
          for (String target : List.of("/orders/1", "/open/1")) {
            HttpResponse<String> response = gateway.get(target, "Authorization", "Bearer " + token);
            assertThat(response.statusCode()).as(name + " on " + target).isEqualTo(401);
            assertThat(response.headers().firstValue("Content-Type"))
                .contains("application/problem+json");
            assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow())
                .as(name)
                .startsWith("Bearer realm=\"tollgate\", error=\"invalid_token\"");
            assertThat(response.body()).contains("\"status\":401");
          }
        });

    HttpResponse<String> valid = gateway.get("/orders/1", "Authorization", bearer("alice", "free"));
    assertThat(valid.statusCode()).isEqualTo(200);
    assertThat(valid.body()).contains("header x-tollgate-subject: alice");
    HttpResponse<String> anonymous = gateway.get("/open/1", "X-Tollgate-Subject", "forged");
    assertThat(anonymous.statusCode()).isEqualTo(200);
    assertThat(anonymous.body()).doesNotContain("x-tollgate-subject");
  }

  @Test
  void clientIpLimitsCannotBeEvadedWithForwardedForFromAnUntrustedPeer() {
    String yaml =
        route("ip", "/ip", "none", upstream.url())
            + policy(
                "per-ip",
                "ip",
                "",
                """
                - name: per-ip
                  algorithm: sliding-log
                  rate: {requests: 5, period: 1h}
                  key: [{clientIP: true}]
                """);
    PolicyGateway untrusting = gateway(yaml);

    long admitted = 0;
    for (int i = 0; i < 12; i++) {
      admitted +=
          untrusting.get("/ip", "X-Forwarded-For", "198.51.100." + i).statusCode() == 200 ? 1 : 0;
    }
    assertThat(admitted).isEqualTo(5);

    // the same header from a trusted proxy does identify distinct clients
    PolicyGateway behindProxy = gateway(yaml, "TOLLGATE_TRUSTED_PROXIES", "127.0.0.1/32");
    assertThat(behindProxy.get("/ip", "X-Forwarded-For", "203.0.113.7").statusCode())
        .isEqualTo(200);
    assertThat(
            behindProxy
                .get("/ip", "X-Forwarded-For", "203.0.113.7")
                .headers()
                .firstValue("RateLimit"))
        .contains("\"per-ip\";r=3;t=3600");
  }

  @Test
  void headersFollowTheRemainingCountsOfEveryLimit() {
    PolicyGateway gateway =
        gateway(
            route("orders", "/orders", "required", upstream.url())
                + policy(
                    "hdr",
                    "orders",
                    "",
                    """
                    - name: per-user
                      rate: {requests: 4, period: 1h}
                      key: [{claim: sub}]
                    - name: global
                      algorithm: sliding-log
                      rate: {requests: 6, period: 1h}
                    """));
    String alice = bearer("alice", "free");

    for (int i = 1; i <= 4; i++) {
      HttpResponse<String> ok = gateway.get("/orders/1", "Authorization", alice);
      assertThat(ok.statusCode()).isEqualTo(200);
      assertThat(ok.headers().firstValue("RateLimit-Policy"))
          .contains("\"per-user\";q=4;w=3600, \"global\";q=6;w=3600");
      List<StructuredFieldList.Member> fields =
          StructuredFieldList.parse(ok.headers().firstValue("RateLimit").orElseThrow());
      assertThat(fields.get(0).value()).isEqualTo("per-user");
      assertThat(fields.get(0).params().get("r")).isEqualTo(4 - i);
      assertThat(fields.get(1).params()).containsEntry("r", 6L - i).containsEntry("t", 3600L);
      assertThat(ok.headers().firstValue("X-RateLimit-Remaining")).contains(String.valueOf(4 - i));
      assertThat(ok.headers().firstValue("X-RateLimit-Limit")).contains("4");
      assertThat(ok.headers().firstValue("Retry-After")).isEmpty();
    }

    HttpResponse<String> refused = gateway.get("/orders/1", "Authorization", alice);
    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(refused.headers().firstValue("Content-Type")).contains("application/problem+json");
    assertThat(refused.body())
        .contains("\"type\":\"urn:tollgate:problem:quota-exceeded\"")
        .contains("{\"policy\":\"shop/hdr\",\"limit\":\"per-user\"}")
        .doesNotContain("\"limit\":\"global\"");
    long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
    List<StructuredFieldList.Member> fields =
        StructuredFieldList.parse(refused.headers().firstValue("RateLimit").orElseThrow());
    assertThat(fields.get(0).params().get("r")).isZero();
    assertThat(retryAfter)
        .isGreaterThanOrEqualTo(fields.get(0).params().get("t"))
        .isGreaterThan(800);
    assertThat(fields.get(1).params().get("r"))
        .as("a refused request charges no limit")
        .isEqualTo(2);

    String bob = bearer("bob", "free");
    assertThat(gateway.get("/orders/1", "Authorization", bob).statusCode()).isEqualTo(200);
    assertThat(gateway.get("/orders/1", "Authorization", bob).statusCode()).isEqualTo(200);
    HttpResponse<String> global = gateway.get("/orders/1", "Authorization", bob);
    assertThat(global.statusCode()).isEqualTo(429);
    assertThat(global.body()).contains("\"limit\":\"global\"");
    assertThat(global.headers().firstValue("X-RateLimit-Limit")).contains("6");
  }

  @Test
  void shadowNeverRefusesAndCountsWouldBeRefusals() {
    PolicyGateway gateway =
        gateway(
            route("trial", "/trial", "none", upstream.url())
                + policy(
                    "shadow",
                    "trial",
                    "enforcement: shadow",
                    """
                    - name: trial
                      rate: {requests: 3, period: 1h}
                    """));

    for (int i = 0; i < 10; i++) {
      HttpResponse<String> response = gateway.get("/trial");
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("Retry-After")).isEmpty();
    }

    String metrics = gateway.metrics().body();
    assertThat(metricValue(metrics, "policy=\"shop/shadow\"", "decision=\"shadow_limited\""))
        .isEqualTo(7.0);
    assertThat(metricValue(metrics, "policy=\"shop/shadow\"", "decision=\"allowed\""))
        .isEqualTo(3.0);
    // a histogram in seconds; other tests of this class decided through Redis too
    assertThat(
            metrics
                .lines()
                .filter(l -> l.startsWith("tollgate_ratelimit_redis_duration_seconds_count"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum())
        .isGreaterThanOrEqualTo(10);
  }

  static double metricValue(String prometheusText, String... labels) {
    return prometheusText
        .lines()
        .filter(l -> l.startsWith("tollgate_ratelimit_decisions_total{"))
        .filter(l -> java.util.Arrays.stream(labels).allMatch(l::contains))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  @Test
  void explainMatchesWhatARealRequestExperiencesAndChargesNothing() throws Exception {
    PolicyGateway gateway =
        gateway(
            route("orders", "/orders", "required", upstream.url())
                + policy(
                    "explained",
                    "orders",
                    "",
                    """
                    - name: per-user
                      rate: {requests: 10, period: 1h}
                      key: [{claim: sub}, {header: X-Tenant}]
                    """));
    String alice = bearer("alice", "free");
    String question =
        """
        {"method": "GET", "path": "/orders/7", "host": "api.example.com",
         "headers": {"Authorization": "%s", "x-tenant": "acme"}}
        """
            .formatted(alice);

    var json = dev.tollgate.api.common.ApiJson.mapper();
    var before = json.readTree(gateway.explain(question).body());
    var again = json.readTree(gateway.explain(question).body());
    HttpResponse<String> real =
        gateway.get("/orders/7", "Authorization", alice, "X-Tenant", "acme");
    var after = json.readTree(gateway.explain(question).body());

    assertThat(before.path("route").asText()).isEqualTo("shop/orders");
    assertThat(before.path("auth").path("subject").asText()).isEqualTo("alice");
    var limit = before.path("limits").get(0);
    assertThat(limit.path("key").asText()).isEqualTo("claim:sub=alice|header:x-tenant=acme");
    assertThat(limit.path("remaining").asLong()).isEqualTo(10);
    assertThat(again.path("limits").get(0).path("remaining").asLong()).isEqualTo(10);
    long realRemaining =
        StructuredFieldList.parse(real.headers().firstValue("RateLimit").orElseThrow())
            .getFirst()
            .params()
            .get("r");
    assertThat(realRemaining)
        .isEqualTo(limit.path("remaining").asLong() - limit.path("cost").asLong());
    assertThat(after.path("limits").get(0).path("remaining").asLong()).isEqualTo(realRemaining);

    HttpResponse<String> viaPublicPort =
        PolicyGateway.send(
            HttpRequest.newBuilder(gateway.uri("/admin/explain"))
                .POST(HttpRequest.BodyPublishers.ofString(question))
                .build());
    assertThat(viaPublicPort.statusCode()).isEqualTo(404);
  }

  @Test
  void explainSaysWhenNoRouteMatchesOrTheTokenWouldBeRefused() throws Exception {
    PolicyGateway gateway =
        gateway(
            route("orders", "/orders", "required", upstream.url())
                + policy(
                    "tiers",
                    "orders",
                    "",
                    """
                    - name: per-user
                      rate: {requests: 10, period: 1h}
                      key: [{claim: sub}]
                      tiers: {claim: plan, values: {internal: {unlimited: true}}}
                    """));
    var json = dev.tollgate.api.common.ApiJson.mapper();

    var noRoute = json.readTree(gateway.explain("{\"path\": \"/nowhere\"}").body());
    var refused =
        json.readTree(
            gateway
                .explain(
                    "{\"path\": \"/orders\", \"headers\": {\"Authorization\": \"Bearer x.y.z\"}}")
                .body());
    var unlimited =
        json.readTree(
            gateway
                .explain(
                    "{\"path\": \"/orders\", \"headers\": {\"Authorization\": \"%s\"}}"
                        .formatted(bearer("ops", "internal")))
                .body());
    HttpResponse<String> malformed = gateway.explain("{\"path\": 42}");

    assertThat(noRoute.path("route").isNull()).isTrue();
    assertThat(noRoute.path("answer").asInt()).isEqualTo(404);
    assertThat(refused.path("answer").asInt()).isEqualTo(401);
    assertThat(refused.path("auth").path("result").asText()).isEqualTo("refused");
    assertThat(unlimited.path("limits").get(0).path("tier").asText()).isEqualTo("internal");
    assertThat(unlimited.path("limits").get(0).path("unlimited").asBoolean()).isTrue();
    assertThat(malformed.statusCode()).isEqualTo(400);
  }
}
