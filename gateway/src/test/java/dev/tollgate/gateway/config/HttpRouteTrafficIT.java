package dev.tollgate.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.api.common.ApiJson;
import dev.tollgate.api.common.ApiYaml;
import dev.tollgate.gateway.support.Echo;
import dev.tollgate.gateway.support.RawHttp;
import dev.tollgate.gateway.support.TestUpstream;
import dev.tollgate.testkit.redis.RedisServerExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * HTTPRoute matches and filters through a real gateway: entries written to Redis with the
 * operator's script, exactly in the form the operator compiles an HTTPRoute into, and real requests
 * to two echoing upstreams, which show what arrived (path, query, headers, {@code Host}).
 */
class HttpRouteTrafficIT {
  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

  private static TestUpstream v1;
  private static TestUpstream v2;
  private static OperatorWrites operator;
  private static RedisGateway gateway;

  @BeforeAll
  static void start() {
    v1 = TestUpstream.echo("v1");
    v2 = TestUpstream.echo("v2");
    operator = new OperatorWrites(REDIS.uri(), RedisGateway.GATEWAY_NAME);
    Map<String, String> entries = new HashMap<>();
    entries.put("HTTPRoute/web/store", json(STORE.formatted(v1.url(), v2.url(), v1.url())));
    entries.put("HTTPRoute/web/legacy", json(LEGACY.formatted(v1.url())));
    entries.put("HTTPRoute/web/split", json(SPLIT.formatted(v1.url(), v2.url())));
    entries.put("HTTPRoute/web/quota", json(QUOTA.formatted(v1.url())));
    entries.put("RateLimitPolicy/infra/gateway-defaults", json(GATEWAY_DEFAULTS));
    entries.put("RateLimitPolicy/web/generous-rule", json(GENEROUS_RULE));
    entries.put("HTTPRoute/web/numbered", json(NUMBERED.formatted(v1.url())));
    entries.put("RateLimitPolicy/web/on-rule-0", json(ON_RULE_0));
    entries.put("RateLimitPolicy/web/on-rule-2", json(ON_RULE_2));
    long version = operator.publish(entries);
    gateway = RedisGateway.startEnforcing(REDIS.uri(), "pod-http-route", Duration.ofSeconds(1));
    await().atMost(Duration.ofSeconds(60)).until(() -> gateway.version() == version);
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
    }
    operator.close();
    v1.stop();
    v2.stop();
  }

  /**
   * Rules in one route: the most specific match wins whatever their order (a regular expression
   * ranks below any prefix, as for Routes).
   */
  private static final String STORE =
      """
      namespace: web
      name: store
      createdAt: "2026-01-01T00:00:00Z"
      hostnames: [store.example.com]
      gateways: [infra/public]
      rules:
        - matches: [{path: {type: PathPrefix, value: /items}}]
          backends: [{ref: web/v1:80, weight: 1, endpoints: ["%1$s"]}]
        - name: canary
          matches:
            - path: {type: PathPrefix, value: /items}
              headers: [{name: X-Env, value: canary}]
            - path: {type: PathPrefix, value: /items}
              headers: [{name: X-Client, value: "Mozilla/5.0 (X11, Linux)"}]
            - path: {type: PathPrefix, value: /items}
              queryParams: [{name: version, value: "2"}]
            - path: {type: PathPrefix, value: /items}
              method: DELETE
            - path: {type: Exact, value: /items/special}
            - path: {type: RegularExpression, value: "/orders/[0-9]+"}
          filters:
            - type: RequestHeaderModifier
              requestHeaderModifier:
                set: [{name: X-Stage, value: canary}]
                add: [{name: X-Trace, value: gateway}]
                remove: [X-Remove-Me]
            - type: ResponseHeaderModifier
              responseHeaderModifier:
                set: [{name: X-Served-By, value: canary}]
          backends: [{ref: web/v2:80, weight: 1, endpoints: ["%2$s"]}]
        - name: rewrite
          matches: [{path: {type: PathPrefix, value: /old/}}]
          filters:
            - type: URLRewrite
              urlRewrite:
                hostname: internal.example.com
                path: {type: ReplacePrefixMatch, replacePrefixMatch: /new}
          backends: [{ref: web/v1:80, weight: 1, endpoints: ["%3$s"]}]
      """;

  /** A route attached elsewhere: redirects and a full-path rewrite. */
  private static final String LEGACY =
      """
      namespace: web
      name: legacy
      createdAt: "2026-01-02T00:00:00Z"
      hostnames: [legacy.example.com]
      rules:
        - matches: [{path: {type: PathPrefix, value: /moved}}]
          filters:
            - type: RequestRedirect
              requestRedirect:
                scheme: https
                hostname: store.example.com
                statusCode: 301
                path: {type: ReplacePrefixMatch, replacePrefixMatch: /items}
        - matches: [{path: {type: Exact, value: /health}}]
          filters:
            - type: URLRewrite
              urlRewrite: {path: {type: ReplaceFullPath, replaceFullPath: /status/ok}}
          backends: [{ref: web/v1:80, weight: 1, endpoints: ["%1$s"]}]
      """;

  /** Weighted backends, one of them unusable. */
  private static final String SPLIT =
      """
      namespace: web
      name: split
      createdAt: "2026-01-03T00:00:00Z"
      hostnames: [split.example.com]
      rules:
        - matches: [{path: {type: PathPrefix, value: /weighted}}]
          backends:
            - {ref: web/v1:80, weight: 3, endpoints: ["%1$s"]}
            - {ref: web/v2:80, weight: 1, endpoints: ["%2$s"]}
            - {ref: web/v3:80, weight: 0, endpoints: ["http://127.0.0.1:9"]}
        - matches: [{path: {type: PathPrefix, value: /half-broken}}]
          backends:
            - {ref: web/v1:80, weight: 1, endpoints: ["%1$s"]}
            - {ref: other/v9:80, weight: 1, problem: "RefNotPermitted: no ReferenceGrant"}
        - matches: [{path: {type: PathPrefix, value: /nothing}}]
      """;

  /** Two rules on a Gateway of their own, so that its policy reaches nothing else here. */
  private static final String QUOTA =
      """
      namespace: web
      name: quota
      createdAt: "2026-01-04T00:00:00Z"
      hostnames: [quota.example.com]
      gateways: [infra/metered]
      rules:
        - name: plain
          matches: [{path: {type: PathPrefix, value: /plain}}]
          backends: [{ref: web/v1:80, weight: 1, endpoints: ["%1$s"]}]
        - name: generous
          matches: [{path: {type: PathPrefix, value: /generous}}]
          backends: [{ref: web/v1:80, weight: 1, endpoints: ["%1$s"]}]
      """;

  /** The Gateway's default: 2 per hour per client, on every route attached to it. */
  private static final String GATEWAY_DEFAULTS =
      """
      namespace: infra
      name: gateway-defaults
      spec:
        targetRefs: [{group: gateway.networking.k8s.io, kind: Gateway, name: metered}]
        limits:
          - {name: per-client, rate: {requests: 2, period: 1h}, key: [{clientIP: true}]}
      """;

  /** A rule's own limit of the same name: overrides the Gateway's on that rule only. */
  private static final String GENEROUS_RULE =
      """
      namespace: web
      name: generous-rule
      spec:
        targetRefs: [{kind: HTTPRoute, name: quota, sectionName: generous}]
        limits:
          - {name: per-client, rate: {requests: 1000, period: 1h}, key: [{clientIP: true}]}
      """;

  /**
   * Unnamed rules between named ones: the second rule is named {@code rule-0}, a name the Gateway
   * API allows, and the third has no name.
   */
  private static final String NUMBERED =
      """
      namespace: web
      name: numbered
      createdAt: "2026-01-05T00:00:00Z"
      hostnames: [numbered.example.com]
      rules:
        - matches: [{path: {type: PathPrefix, value: /first}}]
          backends: [{ref: web/v1:80, weight: 1, endpoints: ["%1$s"]}]
        - name: rule-0
          matches: [{path: {type: PathPrefix, value: /named}}]
          backends: [{ref: web/v1:80, weight: 1, endpoints: ["%1$s"]}]
        - matches: [{path: {type: PathPrefix, value: /third}}]
          backends: [{ref: web/v1:80, weight: 1, endpoints: ["%1$s"]}]
      """;

  /** One request per hour on the rule named {@code rule-0}. */
  private static final String ON_RULE_0 =
      """
      namespace: web
      name: on-rule-0
      spec:
        targetRefs: [{kind: HTTPRoute, name: numbered, sectionName: rule-0}]
        limits:
          - {name: one, rate: {requests: 1, period: 1h}, key: [{clientIP: true}]}
      """;

  /** Names a rule {@code numbered} does not have: its status says TargetNotFound. */
  private static final String ON_RULE_2 =
      """
      namespace: web
      name: on-rule-2
      spec:
        targetRefs: [{kind: HTTPRoute, name: numbered, sectionName: rule-2}]
        limits:
          - {name: one, rate: {requests: 1, period: 1h}, key: [{clientIP: true}]}
      """;

  @Test
  void aPolicyOnARuleNamedLikeAnUnnamedRuleLimitsOnlyTheNamedRule() {
    assertThat(get("numbered.example.com", "/named").statusCode()).isEqualTo(200);
    assertThat(get("numbered.example.com", "/named").statusCode()).isEqualTo(429);
    for (int i = 0; i < 3; i++) {
      assertThat(get("numbered.example.com", "/first").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void aSectionNameNeverReachesAnUnnamedRule() {
    for (int i = 0; i < 3; i++) {
      assertThat(get("numbered.example.com", "/third").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void aGatewayPolicyLimitsItsRoutesUnlessARulePolicyOfTheSameLimitNameOverridesIt() {
    for (int i = 0; i < 2; i++) {
      assertThat(get("quota.example.com", "/plain").statusCode()).isEqualTo(200);
    }
    Reply limited = get("quota.example.com", "/plain");
    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(limited.header("RateLimit-Policy"))
        .hasValueSatisfying(v -> assertThat(v).contains("\"per-client\";q=2;"));

    for (int i = 0; i < 5; i++) {
      Reply generous = get("quota.example.com", "/generous");
      assertThat(generous.statusCode()).isEqualTo(200);
      assertThat(generous.header("RateLimit-Policy"))
          .hasValueSatisfying(
              v -> assertThat(v).contains("\"per-client\";q=1000;").doesNotContain("q=2;"));
    }
  }

  @Test
  void headerQueryMethodExactAndRegexMatchesBeatAPlainPrefix() {
    assertThat(upstream(get("store.example.com", "/items/1"))).isEqualTo("v1");
    assertThat(upstream(get("store.example.com", "/items/1", "X-Env", "canary"))).isEqualTo("v2");
    assertThat(upstream(get("store.example.com", "/items/1", "x-env", "canary"))).isEqualTo("v2");
    assertThat(upstream(get("store.example.com", "/items/1", "X-Env", "prod"))).isEqualTo("v1");
    // a header's lines as sent: a comma inside a value is part of it
    assertThat(
            upstream(get("store.example.com", "/items/1", "X-Client", "Mozilla/5.0 (X11, Linux)")))
        .isEqualTo("v2");
    assertThat(upstream(get("store.example.com", "/items/1", "X-Env", "prod, canary")))
        .isEqualTo("v1");
    assertThat(upstream(get("store.example.com", "/items/1", "X-Env", "prod", "X-Env", "canary")))
        .isEqualTo("v2");
    assertThat(upstream(get("store.example.com", "/items/1?version=2"))).isEqualTo("v2");
    assertThat(upstream(get("store.example.com", "/items/1?version=3"))).isEqualTo("v1");
    // a repeated parameter is judged by its first value, the one most upstreams read
    assertThat(upstream(get("store.example.com", "/items/1?version=3&version=2"))).isEqualTo("v1");
    assertThat(upstream(get("store.example.com", "/items/1?version=2&version=3"))).isEqualTo("v2");
    assertThat(upstream(send("DELETE", "store.example.com", "/items/1"))).isEqualTo("v2");
    assertThat(upstream(get("store.example.com", "/items/special"))).isEqualTo("v2");
    assertThat(upstream(get("store.example.com", "/orders/42"))).isEqualTo("v2");
    assertThat(get("store.example.com", "/orders/x42").statusCode()).isEqualTo(404);
  }

  /** Only a route that matches query parameters decodes the query, and 50% cannot be decoded. */
  @Test
  void aQueryAQueryMatchCannotDecodeIs400() {
    Reply malformed = get("store.example.com", "/items/1?version=2&off=50%");

    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(malformed.body())
        .contains("bad-request-target")
        .contains("percent-encoding is malformed");
  }

  @Test
  void hostnamesSelectTheRouteAndTheClientHostGoesUpstream() {
    Reply response = get("store.example.com", "/items/anything");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(Echo.parse(response.body()).header("host")).isEqualTo("store.example.com");
    assertThat(get("unknown.example.com", "/items/anything").statusCode()).isEqualTo(404);
  }

  @Test
  void requestAndResponseHeaderModifiersApply() {
    Reply response =
        get(
            "store.example.com",
            "/items/1",
            "X-Env",
            "canary",
            "X-Remove-Me",
            "secret",
            "X-Stage",
            "client",
            "X-Trace",
            "client");
    Echo echo = Echo.parse(response.body());
    assertThat(echo.header("x-stage")).isEqualTo("canary");
    assertThat(echo.headers().get("x-trace")).containsExactlyInAnyOrder("client", "gateway");
    assertThat(echo.header("x-remove-me")).isNull();
    assertThat(response.header("X-Served-By")).hasValue("canary");
  }

  @Test
  void urlRewriteReplacesThePrefixOrTheWholePathAndTheHost() {
    Echo prefix = Echo.parse(get("store.example.com", "/old/shoes?size=9").body());
    assertThat(prefix.target()).isEqualTo("/new/shoes?size=9");
    assertThat(prefix.header("host")).isEqualTo("internal.example.com");

    Echo full = Echo.parse(get("legacy.example.com", "/health").body());
    assertThat(full.target()).isEqualTo("/status/ok");
    assertThat(full.header("host")).isEqualTo("legacy.example.com");
  }

  @Test
  void requestRedirectAnswersWithoutTheUpstream() {
    int hits = v1.hits() + v2.hits();
    Reply response = get("legacy.example.com", "/moved/boots?x=1");
    assertThat(response.statusCode()).isEqualTo(301);
    assertThat(response.header("Location")).hasValue("https://store.example.com/items/boots?x=1");
    assertThat(v1.hits() + v2.hits()).isEqualTo(hits);
    // and /admin/config names the redirect's fields as the resource does
    assertThat(gateway.admin("/admin/config").body())
        .containsIgnoringWhitespaces(
            """
            "redirect" : {"statusCode" : 301, "scheme" : "https", \
            "hostname" : "store.example.com", "replacePrefix" : "/items"}\
            """);
  }

  @Test
  void weightedBackendsShareTheRequestsAndAnUnusableOneAnswers500() {
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < 400; i++) {
      counts.merge(upstream(get("split.example.com", "/weighted")), 1, Integer::sum);
    }
    // 3:1 over 400 requests: 300 expected for v1; below 240 or above 360 has a chance far under
    // one in a million
    assertThat(counts.keySet()).containsExactlyInAnyOrder("v1", "v2");
    assertThat(counts.get("v1")).isBetween(240, 360);

    Map<Integer, Integer> statuses = new HashMap<>();
    for (int i = 0; i < 100; i++) {
      statuses.merge(get("split.example.com", "/half-broken").statusCode(), 1, Integer::sum);
    }
    assertThat(statuses.keySet()).containsExactlyInAnyOrder(200, 500);

    Reply none = get("split.example.com", "/nothing");
    assertThat(none.statusCode()).isEqualTo(500);
    assertThat(none.body()).contains("invalid-backend");
  }

  private static String upstream(Reply response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return Echo.parse(response.body()).upstream();
  }

  /** A response: status, headers by lower-case name, body. */
  private record Reply(int statusCode, Map<String, String> headers, String body) {
    Optional<String> header(String name) {
      return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }
  }

  private static Reply get(String host, String target, String... headers) {
    return send("GET", host, target, headers);
  }

  /** Over a raw connection to the gateway's loopback port, with {@code Host} as given. */
  private static Reply send(String method, String host, String target, String... headers) {
    StringBuilder request = new StringBuilder(method + " " + target + " HTTP/1.1\r\n");
    request.append("Host: ").append(host).append("\r\n");
    for (int i = 0; i < headers.length; i += 2) {
      request.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
    }
    request.append("Connection: close\r\n\r\n");
    RawHttp.Response response = RawHttp.send(gateway.gateway().port(), request.toString());
    Map<String, String> parsed = new HashMap<>();
    String head = response.text().substring(0, Math.max(0, response.text().indexOf("\r\n\r\n")));
    head.lines()
        .skip(1)
        .filter(line -> line.contains(":"))
        .forEach(
            line ->
                parsed.put(
                    line.substring(0, line.indexOf(':')).toLowerCase(Locale.ROOT),
                    line.substring(line.indexOf(':') + 1).strip()));
    return new Reply(response.status(), parsed, response.body());
  }

  private static String json(String yaml) {
    try {
      JsonNode tree = ApiYaml.mapper().readTree(yaml);
      return ApiJson.mapper().writeValueAsString(tree);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
