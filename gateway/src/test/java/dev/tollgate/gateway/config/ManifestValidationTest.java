package dev.tollgate.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.api.snapshot.ConfigSnapshot;
import dev.tollgate.gateway.backend.EndpointPools;
import dev.tollgate.gateway.metrics.GatewayMetrics;
import dev.tollgate.gateway.ratelimit.EnforcementPlan;
import dev.tollgate.gateway.ratelimit.PolicyCompiler;
import dev.tollgate.gateway.route.RouteId;
import dev.tollgate.rules.Rulebook;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A standalone directory goes through the rulebook as a whole, like {@code nginx -t}: each invalid
 * manifest refuses the load with a message naming file, document and field.
 */
class ManifestValidationTest {
  private static final String HEAD =
      """
      apiVersion: tollgate.dev/v1alpha1
      kind: Route
      metadata: {name: orders, namespace: shop}
      """;

  private static GatewayConfig load(String yaml) throws ConfigValidationException {
    ManifestReader reader = new ManifestReader();
    reader.read("routes.yaml", yaml);
    ConfigSnapshot snapshot = reader.snapshot(1);
    ActiveConfig active = new ActiveConfig();
    GatewayMetrics metrics = new GatewayMetrics();
    EndpointPools pools = new EndpointPools(metrics, endpoints -> {});
    ConfigApplier applier =
        new ConfigApplier(
            active,
            new ConfigCompiler(Rulebook.standard(), pools, List.of(new PolicyCompiler())),
            pools,
            metrics);
    LoadOutcome outcome =
        applier.offer(
            snapshot, new Rejections(), "test", reader.locations(), ConfigSink.Refusal.WHOLE_LOAD);
    if (!outcome.applied()) {
      throw new ConfigValidationException(outcome.rejected().describe(reader.locations()));
    }
    return active.current().orElseThrow();
  }

  private static String route(String spec) {
    return HEAD + "spec:\n" + spec.indent(2);
  }

  static Stream<Arguments> invalid() {
    String where = "routes.yaml (document 1) Route shop/orders: ";
    String backend = "backend: {endpoints: [http://127.0.0.1:9000]}\n";
    return Stream.of(
        Arguments.of(
            route("match: {path: /a, pathPrefix: /b}\n" + backend),
            where + "spec.match: exactly one of path, pathPrefix or pathRegex must be set"),
        Arguments.of(route(backend), where + "spec.match: required"),
        Arguments.of(
            route("match: {pathPrefix: orders}\n" + backend),
            where
                + "spec.match.pathPrefix: 'orders' must start with / and contain no whitespace, ?"
                + " or #"),
        Arguments.of(
            route("match: {pathPrefix: /a//b}\n" + backend),
            where + "spec.match.pathPrefix: '/a//b' is not in normalized form; write '/a/b'"),
        Arguments.of(
            route("match: {path: /a%2Fb}\n" + backend),
            where
                + "spec.match.path: '/a%2Fb' can never match: Encoded slashes are not allowed in"
                + " the request path."),
        Arguments.of(
            route("match: {pathRegex: '/a/(b'}\n" + backend),
            where + "spec.match.pathRegex: invalid RE2 regular expression: missing closing )"),
        Arguments.of(
            route("match: {pathPrefix: /a, methods: [FETCH]}\n" + backend),
            where
                + "spec.match.methods[0]: invalid value 'FETCH' (see the field's allowed values in"
                + " docs/gateway.md)"),
        Arguments.of(
            route("hosts: ['Api.Example.com:80']\nmatch: {pathPrefix: /}\n" + backend),
            where
                + "spec.hosts[0]: 'Api.Example.com:80' is not a lower-case DNS name or *.wildcard"
                + " (no port)"),
        Arguments.of(
            route("match: {path: /a}\nrewrite: {replacePrefix: /b}\n" + backend),
            where + "spec.rewrite: rewrite.replacePrefix needs match.pathPrefix"),
        Arguments.of(
            route("match: {pathPrefix: /}\nbackend: {endpoints: ['http://h:1/path']}"),
            where
                + "spec.backend.endpoints[0]: 'http://h:1/path' is not a base URL like"
                + " http://host:port (no path)"),
        Arguments.of(
            route("match: {pathPrefix: /}\nbackend: {service: {name: orders, port: 80}}"),
            where
                + "spec.backend.service: standalone mode cannot resolve Services; use"
                + " spec.backend.endpoints"),
        Arguments.of(
            route("match: {pathPrefix: /}\nbackend: {endpoints: [http://h:1], timeout: 5 s}"),
            where
                + "spec.backend.timeout: invalid duration '5 s': expected a positive whole number"
                + " and ms, s, m or h, e.g. 5s"),
        Arguments.of(
            route(
                "match: {pathPrefix: /}\n"
                    + "backend: {endpoints: [http://h:1], circuitBreaker: {failureRatio: 0}}"),
            where + "spec.backend.circuitBreaker.failureRatio: must be 1..100, was 0"),
        Arguments.of(
            route(
                "match: {pathPrefix: /}\n"
                    + "backend: {endpoints: [http://h:1], retries: {attempts: 9}}"),
            where + "spec.backend.retries.attempts: must be 1..5, was 9"),
        Arguments.of(
            route(
                "match: {pathPrefix: /}\nbackend: {endpoints: [http://h:1], loadBalancer: fastest}"),
            where
                + "spec.backend.loadBalancer: invalid value 'fastest' (see the field's allowed"
                + " values in docs/gateway.md)"),
        Arguments.of(
            HEAD.replace("kind: Route", "kind: Gateway") + "spec: {}\n",
            "routes.yaml (document 1) Gateway shop/orders: kind: must be Route or"
                + " RateLimitPolicy, was 'Gateway'"),
        Arguments.of(
            HEAD.replace("v1alpha1", "v1") + "spec: {}\n",
            "routes.yaml (document 1) Route shop/orders: apiVersion: must be"
                + " tollgate.dev/v1alpha1, was 'tollgate.dev/v1'"),
        Arguments.of(
            route("match: {pathPrefix: /}\n" + backend)
                + """
                ---
                apiVersion: tollgate.dev/v1alpha1
                kind: RateLimitPolicy
                metadata: {name: daily, namespace: shop}
                spec:
                  targetRefs: [{kind: Route, name: orders}]
                  limits: [{name: day, algorithm: fixed-window, rate: {requests: 5}, window: {calendar: day, timeZone: Europe/Berln}}]
                """,
            "routes.yaml (document 2) RateLimitPolicy shop/daily: spec.limits[0].window.timeZone:"
                + " 'Europe/Berln' is not a time zone of the tz database"),
        Arguments.of(
            "apiVersion: tollgate.dev/v1alpha1\nkind: Route\nmetadata: {name: [unclosed\n",
            "routes.yaml (document 1): not valid YAML: while parsing a flow sequence"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("invalid")
  void refusesWithFileDocumentAndField(String yaml, String expected) {
    assertThatThrownBy(() -> load(yaml))
        .isInstanceOfSatisfying(
            ConfigValidationException.class,
            e -> assertThat(e.problems()).singleElement().asString().startsWith(expected));
  }

  @Test
  void reportsEveryProblemNotJustTheFirst() {
    String yaml =
        route("match: {pathPrefix: /a}\nbackend: {endpoints: [http://h:1], timeout: x}")
            + "---\n"
            + route("match: {}\nbackend: {endpoints: [http://h:1]}").replace("orders", "other");
    assertThatThrownBy(() -> load(yaml))
        .isInstanceOfSatisfying(
            ConfigValidationException.class, e -> assertThat(e.problems()).hasSize(2));
  }

  @Test
  void duplicateNamesAreRefused() {
    String one = route("match: {pathPrefix: /a}\nbackend: {endpoints: [http://h:1]}");
    assertThatThrownBy(() -> load(one + "---\n" + one))
        .hasMessageContaining("Route shop/orders: metadata.name: defined more than once");
  }

  @Test
  void aPolicyWhoseRouteIsMissingAttachesToNothingAndBlocksNothing() throws Exception {
    String yaml =
        route("match: {pathPrefix: /a}\nbackend: {endpoints: [http://h:1]}")
            + """
            ---
            apiVersion: tollgate.dev/v1alpha1
            kind: RateLimitPolicy
            metadata: {name: early, namespace: shop}
            spec:
              targetRefs: [{kind: Route, name: search}]
              limits: [{name: ip, rate: {requests: 5, period: 1s}, key: [{clientIP: true}]}]
            """;

    GatewayConfig config = load(yaml);

    assertThat(config.routes().routes()).hasSize(1);
    assertThat(config.extension(EnforcementPlan.class).limitsOf(new RouteId("shop", "orders")))
        .isEmpty();
  }

  @Test
  void acceptsAValidMultiDocumentFile() throws Exception {
    String yaml =
        route("match: {pathPrefix: /orders}\nbackend: {endpoints: ['http://127.0.0.1:9000']}")
            + "---\n"
            + route("match: {path: /health}\nbackend: {endpoints: ['http://[::1]:9001']}")
                .replace("name: orders", "name: health");
    GatewayConfig config = load(yaml);
    assertThat(config.version()).isEqualTo(1);
    assertThat(config.routes().routes()).hasSize(2);
  }
}
