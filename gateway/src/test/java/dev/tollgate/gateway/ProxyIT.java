package dev.tollgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.api.common.ApiJson;
import dev.tollgate.gateway.support.Echo;
import dev.tollgate.gateway.support.GatewayFixture;
import dev.tollgate.gateway.support.RawHttp;
import dev.tollgate.gateway.support.Routes;
import dev.tollgate.gateway.support.TestUpstream;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Routing, rewriting, header handling and admin isolation through a real gateway. */
class ProxyIT {
  private static TestUpstream orders;
  private static TestUpstream admin;
  private static TestUpstream fallback;
  private static GatewayFixture gateway;

  @BeforeAll
  static void start() {
    orders = TestUpstream.echo("orders");
    admin = TestUpstream.echo("admin");
    fallback = TestUpstream.echo("fallback");
    gateway =
        GatewayFixture.start(
            Routes.route(
                    "orders",
                    """
                    match:
                      pathPrefix: /orders
                      methods: [GET, POST]
                    rewrite:
                      replacePrefix: /v1/orders
                    backend:
                      endpoints: [%s]
                    """
                        .formatted(orders.url()))
                + Routes.simple("internal", "pathPrefix: /internal", admin.url())
                + Routes.simple("exact", "path: /orders/special", admin.url())
                + Routes.simple("regex", "pathRegex: /items/[0-9]+", admin.url())
                + Routes.route(
                    "hosted",
                    """
                    hosts: [api.example.com]
                    match:
                      pathPrefix: /
                    backend:
                      endpoints: [%s]
                    """
                        .formatted(admin.url()))
                + Routes.simple("public", "pathPrefix: /public", fallback.url()));
  }

  @AfterAll
  static void stop() {
    gateway.close();
    orders.close();
    admin.close();
    fallback.close();
  }

  private static Echo echo(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return Echo.parse(response.body());
  }

  @Test
  void proxiesPrefixRouteWithRewriteAndQuery() {
    Echo echo = echo(gateway.get("/orders/42?expand=items&q=a%20b%2Bc+d&flag&x=%26"));
    assertThat(echo.upstream()).isEqualTo("orders");
    assertThat(echo.target()).isEqualTo("/v1/orders/42?expand=items&q=a%20b%2Bc+d&flag&x=%26");
  }

  @Test
  void exactBeatsPrefixAndRegexMatchesWholePath() {
    assertThat(echo(gateway.get("/orders/special")).upstream()).isEqualTo("admin");
    assertThat(echo(gateway.get("/items/12")).target()).isEqualTo("/items/12");
    assertThat(gateway.get("/items/12/x").statusCode()).isEqualTo(404);
  }

  @Test
  void hostSpecificRouteWinsForItsHost() {
    assertThat(echo(gateway.get("/public/x")).upstream()).isEqualTo("fallback");
    HttpResponse<String> viaHost =
        gateway.send(
            java.net.http.HttpRequest.newBuilder(gateway.uri("/public/x"))
                .header("X-Test", "1")
                .build());
    assertThat(echo(viaHost).upstream()).isEqualTo("fallback");
    RawHttp.Response raw =
        RawHttp.send(
            gateway.port(),
            "GET /public/x HTTP/1.1\r\nHost: API.example.com:8080\r\nConnection: close\r\n\r\n");
    assertThat(Echo.parse(raw.body()).upstream()).isEqualTo("admin");
  }

  /**
   * RFC 9112 3.2.2: a server accepts a target in absolute form (clients with the gateway as their
   * HTTP proxy send it), and the target's authority, not the Host header, names the host.
   */
  @Test
  void anAbsoluteFormTargetIsServedForItsOwnAuthority() {
    RawHttp.Response hosted =
        RawHttp.send(
            gateway.port(),
            "GET http://API.example.com/public/x?q=1 HTTP/1.1\r\nHost: shop.test\r\n"
                + "Connection: close\r\n\r\n");
    Echo echo = Echo.parse(hosted.body());
    assertThat(echo.upstream()).isEqualTo("admin");
    assertThat(echo.target()).isEqualTo("/public/x?q=1");
    assertThat(echo.header("x-forwarded-host")).isEqualTo("API.example.com");

    RawHttp.Response other =
        RawHttp.send(
            gateway.port(),
            "GET http://shop.test/public/x HTTP/1.1\r\nHost: api.example.com\r\n"
                + "Connection: close\r\n\r\n");
    assertThat(Echo.parse(other.body()).upstream()).isEqualTo("fallback");

    RawHttp.Response withUserInfo =
        RawHttp.send(
            gateway.port(),
            "GET http://user@api.example.com/public/x HTTP/1.1\r\nHost: shop.test\r\n"
                + "Connection: close\r\n\r\n");
    assertThat(withUserInfo.status()).as(withUserInfo.text()).isEqualTo(400);
    assertThat(withUserInfo.text()).contains("application/problem+json");
  }

  @Test
  void methodOutsideTheRouteIsNoRoute() {
    HttpResponse<String> response =
        gateway.send(
            java.net.http.HttpRequest.newBuilder(gateway.uri("/orders/1")).DELETE().build());
    assertThat(response.statusCode()).isEqualTo(404);
  }

  @Test
  void unknownPathIsProblemJson404WithRequestId() {
    HttpResponse<String> response = gateway.get("/nowhere");
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(response.headers().firstValue("X-Request-Id")).isPresent();
    assertThat(response.body())
        .contains("\"type\":\"urn:tollgate:problem:no-route\"")
        .contains("\"status\":404");
  }

  @Test
  void setsForwardingHeadersAndStripsHopByHopAndTollgateHeaders() {
    RawHttp.Response raw =
        RawHttp.send(
            gateway.port(),
            "GET /orders/1 HTTP/1.1\r\n"
                + "Host: shop.test\r\n"
                + "X-Forwarded-For: 6.6.6.6\r\n"
                + "X-Forwarded-Host: evil.test\r\n"
                + "X-Tollgate-Subject: admin\r\n"
                + "x-tollgate-anything: 1\r\n"
                + "Connection: close, X-Secret-Hop\r\n"
                + "X-Secret-Hop: 1\r\n"
                + "Keep-Alive: timeout=5\r\n"
                + "Proxy-Authorization: Basic eA==\r\n"
                + "TE: trailers\r\n"
                + "X-Request-Id: trace-123\r\n"
                + "X-Custom: kept\r\n"
                + "\r\n");
    assertThat(raw.status()).isEqualTo(200);
    Echo echo = Echo.parse(raw.body());
    assertThat(echo.header("x-forwarded-for")).isEqualTo("127.0.0.1");
    assertThat(echo.header("x-forwarded-host")).isEqualTo("shop.test");
    assertThat(echo.header("x-forwarded-proto")).isEqualTo("http");
    assertThat(echo.header("x-request-id")).isEqualTo("trace-123");
    assertThat(echo.header("x-custom")).isEqualTo("kept");
    assertThat(echo.headers().keySet())
        .doesNotContain(
            "x-tollgate-subject",
            "x-tollgate-anything",
            "x-secret-hop",
            "keep-alive",
            "proxy-authorization",
            "te");
    assertThat(raw.text()).containsIgnoringCase("X-Request-Id: trace-123");
  }

  @Test
  void generatesRequestIdWhenClientSentNoneOrAnUnsafeOne() {
    Echo echo = echo(gateway.get("/orders/1", "X-Request-Id", "not a token; injected"));
    assertThat(echo.header("x-request-id")).matches("[0-9a-f-]{36}");
  }

  @Test
  void postBodyReachesUpstream() {
    HttpResponse<String> response =
        gateway.send(
            java.net.http.HttpRequest.newBuilder(gateway.uri("/orders"))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("x".repeat(10_000)))
                .build());
    Echo echo = echo(response);
    assertThat(echo.method()).isEqualTo("POST");
    assertThat(echo.bodyBytes()).isEqualTo(10_000);
  }

  @ParameterizedTest(name = "admin path {0} is 404 on the public port")
  @ValueSource(
      strings = {
        "/metrics",
        "/health/live",
        "/health/ready",
        "/admin/config",
        "/observe/metrics",
        "/observe/health"
      })
  void adminPathsAreNotOnThePublicPort(String path) {
    HttpResponse<String> response = gateway.get(path);
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.body()).contains("no-route");
  }

  @Test
  void adminSocketServesMetricsHealthAndConfig() throws Exception {
    gateway.get("/orders/1");
    HttpResponse<String> metrics = gateway.admin("/metrics");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body())
        .contains("tollgate_requests_total{code=\"200\",route=\"test/orders\"")
        .contains("tollgate_request_duration_seconds_bucket{route=\"test/orders\"")
        .contains("tollgate_upstream_duration_seconds_count{route=\"test/orders\"")
        .contains("tollgate_config_version")
        .contains("tollgate_config_reloads_total{result=\"success\"")
        .contains("tollgate_circuit_open{endpoint=\"" + orders.url() + "\",route=\"test/orders\"");
    assertThat(gateway.admin("/health/live").statusCode()).isEqualTo(200);
    assertThat(gateway.admin("/health/ready").statusCode()).isEqualTo(200);
    HttpResponse<String> config = gateway.admin("/admin/config");
    assertThat(config.statusCode()).isEqualTo(200);
    assertThat(config.body())
        .contains("\"route\" : \"test/orders\"")
        .contains("\"pathPrefix\" : \"/orders\"")
        .contains("\"uri\" : \"" + orders.url() + "\"");
    JsonNode routes = ApiJson.mapper().readTree(config.body()).path("routes");
    assertThat(routes.valueStream().filter(r -> r.path("route").asText().equals("test/orders")))
        .singleElement()
        .satisfies(
            route -> assertThat(route.path("replacePrefix").asText()).isEqualTo("/v1/orders"));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "/orders/../internal/x, admin, /internal/x",
    "/orders/%2e%2e/internal/x, admin, /internal/x",
    "//orders//1, orders, /v1/orders/1",
    "/%6Frders/1, orders, /v1/orders/1",
    "/public/./x, fallback, /public/x",
  })
  void normalizedPathDecidesTheRouteAndIsWhatTheUpstreamSees(
      String raw, String upstream, String target) {
    RawHttp.Response response = RawHttp.get(gateway.port(), raw);
    assertThat(response.status()).as(response.text()).isEqualTo(200);
    Echo echo = Echo.parse(response.body());
    assertThat(echo.upstream()).isEqualTo(upstream);
    assertThat(echo.target()).isEqualTo(target);
  }

  @ParameterizedTest(name = "{0} refused")
  @ValueSource(
      strings = {
        "/public%2F..%2Finternal/x",
        "/public/%252e%252e/internal",
        "/public/%25%32%65%25%32%65/internal",
        "/public/..;/internal/x",
        "/internal;x=1/y",
        "/internal./x",
        "/public/%5c../internal",
        "/../internal/x",
        "/public\\..\\internal",
        "/public/%C0%AE%C0%AE/internal",
        "/public/%E0%80%AE%E0%80%AE/internal",
      })
  void ambiguousPathsAreRefusedBeforeAnyUpstream(String raw) {
    admin.resetHits();
    fallback.resetHits();
    RawHttp.Response response = RawHttp.get(gateway.port(), raw);
    assertThat(response.status()).as(response.text()).isEqualTo(400);
    assertThat(response.text()).contains("application/problem+json");
    assertThat(admin.hits() + fallback.hits()).isZero();
  }
}
