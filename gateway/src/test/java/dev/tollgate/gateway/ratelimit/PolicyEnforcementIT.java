package dev.tollgate.gateway.ratelimit;

import static dev.tollgate.gateway.ratelimit.PolicyYaml.policy;
import static dev.tollgate.gateway.ratelimit.PolicyYaml.route;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.gateway.auth.TestKeys;
import dev.tollgate.gateway.auth.TestKeys.SigningKey;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Policy enforcement end to end: real gateways (two replicas on one real redis-server), a real
 * upstream, tokens signed with real keys and verified against a JWKS file.
 */
class PolicyEnforcementIT extends PolicyItBase {
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
    PolicyGateway second = replicaOf(first);

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

  /**
   * Limits of different costs on one route are one atomic decision: when the expensive one refuses,
   * the cheap one (decided first, in policy order) is not charged either.
   */
  @Test
  void limitsOfDifferentCostsAreChargedTogetherOrNotAtAll() {
    PolicyGateway gateway =
        gateway(
            route("reports", "/reports", "none", upstream.url())
                + policy(
                    "costs",
                    "reports",
                    "",
                    """
                    - name: calls
                      rate: {requests: 10, period: 1h}
                    - name: compute
                      algorithm: fixed-window
                      rate: {requests: 10, period: 1h}
                      cost: 4
                    """));

    for (int i = 1; i <= 2; i++) {
      assertThat(gateway.get("/reports/q").statusCode()).isEqualTo(200);
    }
    HttpResponse<String> refused = gateway.get("/reports/q");
    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(refused.body()).contains("\"limit\":\"compute\"").doesNotContain("\"calls\"");
    List<StructuredFieldList.Member> fields =
        StructuredFieldList.parse(refused.headers().firstValue("RateLimit").orElseThrow());
    assertThat(fields.get(0).value()).isEqualTo("calls");
    assertThat(fields.get(0).params().get("r"))
        .as("the cheaper limit is not charged for a refused request")
        .isEqualTo(8);
    assertThat(fields.get(1).value()).isEqualTo("compute");
    assertThat(fields.get(1).params().get("r"))
        .as("2 units left: not one more request of cost 4")
        .isEqualTo(0);
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
}
