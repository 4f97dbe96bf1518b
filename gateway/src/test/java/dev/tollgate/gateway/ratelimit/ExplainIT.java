package dev.tollgate.gateway.ratelimit;

import static dev.tollgate.gateway.ratelimit.PolicyYaml.policy;
import static dev.tollgate.gateway.ratelimit.PolicyYaml.route;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /admin/explain} against a real gateway and Redis: its answers match what real
 * requests then experience, it charges nothing, and it is not reachable on the public port.
 */
class ExplainIT extends PolicyItBase {
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

  /**
   * Keyed on every line, a client would get a fresh bucket for the same API key by adding a line of
   * anything; an enforced limit refuses the request instead, and explain says so.
   */
  @Test
  void aKeyHeaderSentTwiceToAnEnforcedLimitIsRefusedAndExplainSaysSo() throws Exception {
    PolicyGateway gateway =
        gateway(
            route("orders", "/orders", "none", upstream.url())
                + policy(
                    "per-key",
                    "orders",
                    "",
                    """
                    - name: per-key
                      rate: {requests: 10, period: 1h}
                      key: [{header: X-Api-Key}]
                    """));
    var json = dev.tollgate.api.common.ApiJson.mapper();
    upstream.resetHits();

    HttpResponse<String> twice =
        gateway.get("/orders/7", "X-Api-Key", "k1", "X-Api-Key", "anything");
    int hitsAfterTwice = upstream.hits();
    HttpResponse<String> once = gateway.get("/orders/7", "X-Api-Key", "k1");
    // one line, whatever it holds: commas are part of the value (every browser's User-Agent)
    HttpResponse<String> withCommas = gateway.get("/orders/7", "X-Api-Key", "k1,k2, (k3)");
    var explained =
        json.readTree(
            gateway
                .explain("{\"path\": \"/orders/7\", \"headers\": {\"X-Api-Key\": [\"k1\", \"x\"]}}")
                .body());

    assertThat(twice.statusCode()).as(twice.body()).isEqualTo(400);
    assertThat(twice.body()).contains("x-api-key keys a rate limit and may be sent only once");
    assertThat(hitsAfterTwice).as("requests that reached the upstream").isZero();
    assertThat(once.statusCode()).isEqualTo(200);
    assertThat(withCommas.statusCode()).as(withCommas.body()).isEqualTo(200);
    assertThat(explained.path("answer").asInt()).isEqualTo(400);
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

  @Test
  void explainAnswersWithinTheBudgetThatTheLimiterIsUnavailableWhileRedisHangs() throws Exception {
    PolicyGateway gateway =
        gateway(
            route("orders", "/orders", "none", upstream.url())
                + policy(
                    "hung",
                    "orders",
                    "",
                    """
                    - name: per-ip
                      rate: {requests: 10, period: 1h}
                      key: [{clientIP: true}]
                    """),
            "TOLLGATE_LIMITER_TIMEOUT",
            "200ms");
    String question = "{\"path\": \"/orders\", \"clientIp\": \"192.0.2.7\"}";
    var json = dev.tollgate.api.common.ApiJson.mapper();
    // the first peek loads the script; Redis answers it before it hangs
    assertThat(
            json.readTree(gateway.explain(question).body()).path("limits").get(0).has("remaining"))
        .isTrue();

    REDIS.server().pause();
    long start = System.nanoTime();
    com.fasterxml.jackson.databind.JsonNode answer;
    try {
      answer = json.readTree(gateway.explain(question).body());
    } finally {
      REDIS.server().resume();
    }
    long millis = (System.nanoTime() - start) / 1_000_000;

    assertThat(answer.path("limits").get(0).path("error").asText())
        .as("answered after %d ms", millis)
        .isEqualTo("the rate limiter is unavailable");
  }
}
