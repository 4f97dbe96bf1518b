package dev.tollgate.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.api.common.ApiYaml;
import dev.tollgate.api.snapshot.SnapshotPolicy;
import dev.tollgate.api.snapshot.SnapshotRoute;
import dev.tollgate.api.v1alpha1.RateLimitPolicySpec;
import dev.tollgate.api.v1alpha1.RouteSpec;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One spec per rule, each with the exact problem it yields: the field path a user looks for and the
 * message the operator's status and the gateway's log both show.
 */
class RulebookTest {
  private static final ObjectMapper YAML = ApiYaml.mapper();
  private static final Rulebook RULEBOOK = Rulebook.standard();
  private static final String BACKEND = "backend: {endpoints: ['http://127.0.0.1:9000']}\n";
  private static final String TARGET = "targetRefs: [{kind: Route, name: orders}]\n";

  private static List<Problem> route(String specYaml, List<String> endpoints) throws Exception {
    RouteSpec spec = YAML.readValue(specYaml, RouteSpec.class);
    return RULEBOOK.check(new SnapshotRoute("shop", "orders", spec, endpoints));
  }

  private static List<Problem> policy(String specYaml) throws Exception {
    return RULEBOOK.check(
        new SnapshotPolicy("shop", "p", YAML.readValue(specYaml, RateLimitPolicySpec.class)));
  }

  private static String limit(String limitYaml) {
    return TARGET + "limits:\n- " + limitYaml + "\n";
  }

  static Stream<Arguments> invalidRoutes() {
    return Stream.of(
        Arguments.of(BACKEND, "spec.match: required"),
        Arguments.of(
            "match: {path: /a, pathPrefix: /b}\n" + BACKEND,
            "spec.match: exactly one of path, pathPrefix or pathRegex must be set"),
        Arguments.of(
            "match: {pathPrefix: /a//b}\n" + BACKEND,
            "spec.match.pathPrefix: '/a//b' is not in normalized form; write '/a/b'"),
        Arguments.of(
            "match: {path: /a%2Fb}\n" + BACKEND,
            "spec.match.path: '/a%2Fb' can never match: Encoded slashes are not allowed in the"
                + " request path."),
        Arguments.of(
            "match: {pathRegex: '/a/(b'}\n" + BACKEND,
            "spec.match.pathRegex: invalid RE2 regular expression: missing closing )"),
        Arguments.of(
            // java.util.regex accepts a backreference; RE2 has none (it could not match in
            // linear time), so a pattern written for Java is refused rather than misread
            "match: {pathRegex: '/(a)\\1'}\n" + BACKEND,
            "spec.match.pathRegex: invalid RE2 regular expression: invalid escape sequence"),
        Arguments.of(
            "hosts: ['Api.Example.com']\nmatch: {pathPrefix: /}\n" + BACKEND,
            "spec.hosts[0]: 'Api.Example.com' is not a lower-case DNS name or *.wildcard (no"
                + " port)"),
        Arguments.of(
            "match: {path: /a}\nrewrite: {replacePrefix: /b}\n" + BACKEND,
            "spec.rewrite: rewrite.replacePrefix needs match.pathPrefix"),
        Arguments.of(
            "match: {pathPrefix: /a}\nrewrite: {replacePrefix: /b/../c}\n" + BACKEND,
            "spec.rewrite.replacePrefix: '/b/../c' is not in normalized form; write '/c'"),
        Arguments.of("match: {pathPrefix: /}\n", "spec.backend: required"),
        Arguments.of(
            "match: {pathPrefix: /}\nbackend: {timeout: 5s}",
            "spec.backend: exactly one of service or endpoints must be set"),
        Arguments.of(
            "match: {pathPrefix: /}\nbackend: {endpoints: ['http://h:1/path']}",
            "spec.backend.endpoints[0]: 'http://h:1/path' is not a base URL like http://host:port"
                + " (no path)"),
        Arguments.of(
            "match: {pathPrefix: /}\nbackend: {endpoints: ['http://h:1'], timeout: 0s}",
            "spec.backend.timeout: invalid duration '0s': expected a positive whole number and ms,"
                + " s, m or h, e.g. 5s"),
        Arguments.of(
            "match: {pathPrefix: /}\nbackend: {endpoints: ['http://h:1'], retries: {attempts: 6}}",
            "spec.backend.retries.attempts: must be 1..5, was 6"),
        Arguments.of(
            "match: {pathPrefix: /}\nbackend: {endpoints: ['https://h:1'], protocol: h2c}",
            "spec.backend.protocol: protocol h2c needs http:// endpoints, h2 needs https://"
                + " endpoints"),
        Arguments.of(
            "match: {pathPrefix: /}\n"
                + "backend: {endpoints: ['http://h:1'], circuitBreaker: {volume: 0}}",
            "spec.backend.circuitBreaker.volume: must be 1..10000, was 0"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("invalidRoutes")
  void refusesARouteNamingTheField(String spec, String expected) throws Exception {
    assertThat(route(spec, List.of("http://127.0.0.1:9000")))
        .extracting(Problem::toString)
        .containsExactly(expected);
  }

  @Test
  void judgesTheEndpointsAServiceResolvedToAgainstTheService() throws Exception {
    assertThat(
            route(
                "match: {pathPrefix: /}\nbackend: {service: {name: orders, port: 80}}",
                List.of("http://10.0.0.1:80", "http://bad_host:80")))
        .extracting(Problem::toString)
        .containsExactly(
            "spec.backend.service: resolves to 'http://bad_host:80', which is not a base URL like"
                + " http://host:port (no path)");
  }

  @Test
  void acceptsARouteWithoutEndpointsYet() throws Exception {
    // No ready endpoint is the Service's state, not a fault of the spec: served as 503.
    assertThat(route("match: {pathPrefix: /}\nbackend: {service: {name: s, port: 80}}", List.of()))
        .isEmpty();
  }

  static Stream<Arguments> invalidPolicies() {
    return Stream.of(
        Arguments.of(
            "limits: [{name: a, rate: {requests: 1, period: 1s}}]",
            "spec.targetRefs: at" + " least one target is required"),
        Arguments.of(TARGET, "spec.limits: at least one limit is required"),
        Arguments.of(
            TARGET
                + "limits: [{name: a, rate: {requests: 1, period: 1s}},"
                + " {name: a, rate: {requests: 2, period: 1s}}]",
            "spec.limits[1].name: 'a' is already used by another limit"),
        Arguments.of(limit("{name: a}"), "spec.limits[0].rate: required"),
        Arguments.of(
            limit("{name: a, rate: {requests: 5, period: 1 m}}"),
            "spec.limits[0].rate.period: invalid duration '1 m': expected a positive whole number"
                + " and ms, s, m or h, e.g. 5s"),
        Arguments.of(
            limit("{name: day, rate: {requests: 1000000001, period: 24h}}"),
            "spec.limits[0].rate.requests: must be between 1 and 1000000000, was 1000000001"),
        Arguments.of(
            limit("{name: b, rate: {requests: 10, period: 24h}, burst: 3661}"),
            "spec.limits[0].burst: must refill within 366 days (burst x rate.period <="
                + " rate.requests x 8784h), was 3661 with 10 per 24h: at most 3660"),
        Arguments.of(
            limit("{name: p, rate: {requests: 1, period: 9000h}}"),
            "spec.limits[0].rate.period: must be between 1ms and 366 days (8784h), was 9000h"),
        Arguments.of(
            limit("{name: log, algorithm: sliding-log, rate: {requests: 100001, period: 1s}}"),
            "spec.limits[0].rate.requests: must not exceed 100000 for sliding-log, which stores"
                + " one entry per request, was 100001; use sliding-window or fixed-window"),
        Arguments.of(
            limit("{name: c, rate: {requests: 5, period: 1s}, cost: 6}"),
            "spec.limits[0].cost: must be between 1 and the limit's capacity 5 (burst, or"
                + " rate.requests when burst is unset), was 6: such a request could never be"
                + " allowed"),
        Arguments.of(
            limit(
                "{name: c, rate: {requests: 100, period: 1m}, cost: 50,"
                    + " tiers: {claim: plan, values: {free: {rate: {requests: 10, period: 1m}}}}}"),
            "spec.limits[0].tiers.values[free]: the tier's capacity 10 (burst, or rate.requests"
                + " when burst is unset) is below the limit's cost 50: a request of this tier could"
                + " never be allowed"),
        Arguments.of(
            limit("{name: k, rate: {requests: 5, period: 1s}, key: [{claim: sub, header: X}]}"),
            "spec.limits[0].key[0]: a key part sets exactly one of claim, header, clientIP, path,"
                + " method, route or clientCertificate"),
        Arguments.of(
            limit("{name: k, rate: {requests: 5, period: 1s}, key: [{clientCertificate: false}]}"),
            "spec.limits[0].key[0]: clientIP, path, method, route and clientCertificate can only"
                + " be set to true"),
        Arguments.of(
            limit("{name: k, rate: {requests: 5, period: 1s}, key: [{clientIP: false}]}"),
            "spec.limits[0].key[0]: clientIP, path, method, route and clientCertificate can only be set to true"),
        Arguments.of(
            limit(
                "{name: t, rate: {requests: 5, period: 1s},"
                    + " tiers: {claim: plan, values: {gold: {burst: 40}}}}"),
            "spec.limits[0].tiers.values[gold]: a tier sets either unlimited: true or a rate"
                + " (with an optional burst)"),
        Arguments.of(
            limit(
                "{name: t, algorithm: gcra, rate: {requests: 5, period: 1s},"
                    + " tiers: {claim: plan, values: {big: {rate: {requests: 1, period:"
                    + " 24h}, burst: 367}}}}"),
            "spec.limits[0].tiers.values[big].burst: must refill within 366 days (burst x"
                + " rate.period <= rate.requests x 8784h), was 367 with 1 per 24h: at most 366"),
        Arguments.of(
            limit("{name: q, algorithm: fixed-window, rate: {requests: 5}}"),
            "spec.limits[0].rate.period: required (or a calendar window on the limit)"),
        Arguments.of(
            limit(
                "{name: q, algorithm: fixed-window, rate: {requests: 5, period: 24h},"
                    + " window: {calendar: day, timeZone: UTC}}"),
            "spec.limits[0].rate.period: must not be set: the limit's calendar window replaces"
                + " it"),
        Arguments.of(
            limit(
                "{name: q, algorithm: sliding-window, rate: {requests: 5},"
                    + " window: {calendar: day, timeZone: UTC}}"),
            "spec.limits[0].window: a calendar window needs algorithm fixed-window, not"
                + " sliding-window"),
        Arguments.of(
            limit(
                "{name: q, algorithm: fixed-window, rate: {requests: 5},"
                    + " window: {calendar: month, timeZone: Europe/Berln}}"),
            "spec.limits[0].window.timeZone: 'Europe/Berln' is not a time zone of the tz database"
                + " (e.g. Europe/Berlin, America/New_York, UTC); fixed offsets such as +01:00 have"
                + " no calendar of their own"),
        Arguments.of(
            limit(
                "{name: q, algorithm: fixed-window, rate: {requests: 5}, window: {timeZone: UTC}}"),
            "spec.limits[0].window.calendar: required (day, week or month)"),
        Arguments.of(
            limit(
                "{name: q, algorithm: fixed-window, rate: {requests: 5},"
                    + " window: {calendar: week, timeZone: UTC},"
                    + " tiers: {claim: plan, values: {gold: {rate: {requests: 50, period: 1h}}}}}"),
            "spec.limits[0].tiers.values[gold].rate.period: must not be set: the limit's calendar"
                + " window replaces it"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("invalidPolicies")
  void refusesAPolicyNamingTheField(String spec, String expected) throws Exception {
    assertThat(policy(spec)).extracting(Problem::toString).containsExactly(expected);
  }

  @Test
  void aPolicyMayTargetARouteThatDoesNotExistYet() throws Exception {
    // Whether the Route exists is the cluster's state, not a rule: the policy attaches to nothing.
    assertThat(
            policy(
                "targetRefs: [{kind: Route, name: search}]\n"
                    + "limits: [{name: day, rate: {requests: 200000, period: 24h}}]"))
        .isEmpty();
  }

  @Test
  void acceptsQuotasOfAnySizeAndCalendarWindows() throws Exception {
    assertThat(
            policy(
                limit(
                    "{name: monthly, algorithm: fixed-window, rate: {requests: 10000000},"
                        + " window: {calendar: month, timeZone: Europe/Berlin},"
                        + " tiers: {claim: plan, values: {gold: {rate: {requests: 1000000000}}}}}")))
        .isEmpty();
    assertThat(
            policy(
                limit(
                    "{name: yearly, algorithm: gcra, rate: {requests: 1000000000, period: 8784h},"
                        + " burst: 1000000000}")))
        .isEmpty();
  }

  @Test
  void reportsEveryProblemOfAResourceNotJustTheFirst() throws Exception {
    assertThat(
            policy(
                TARGET
                    + "limits: [{name: a, rate: {requests: 5, period: 1s}, cost: 9},"
                    + " {name: b, rate: {requests: 1, period: 9000h}}]"))
        .extracting(Problem::field)
        .containsExactly("spec.limits[0].cost", "spec.limits[1].rate.period");
  }

  @Test
  void aMissingSpecIsOneProblem() {
    assertThat(RULEBOOK.check(new SnapshotPolicy("shop", "p", null)))
        .containsExactly(Problem.invalid("spec", "required"));
    assertThat(RULEBOOK.check(new SnapshotRoute("shop", "r", null, List.of())))
        .containsExactly(Problem.invalid("spec", "required"));
  }

  @Test
  void extraRulesAddToTheStandardOnes() throws Exception {
    Rulebook strict =
        RULEBOOK.withRouteRule(
            (route, problems) -> {
              if (route.spec().getHosts() == null) {
                problems.add("spec.hosts", "HostRequired", "this gateway serves named hosts only");
              }
            });
    SnapshotRoute route =
        new SnapshotRoute(
            "shop",
            "r",
            YAML.readValue("match: {pathPrefix: /}\n" + BACKEND, RouteSpec.class),
            List.of("http://127.0.0.1:9000"));

    assertThat(strict.check(route))
        .containsExactly(
            new Problem("spec.hosts", "HostRequired", "this gateway serves named hosts only"));
    assertThat(RULEBOOK.check(route)).isEmpty();
  }

  @Test
  void summarisesManyProblemsInOneReadableLine() {
    List<Problem> seven =
        Stream.iterate(0, i -> i + 1)
            .limit(7)
            .map(i -> Problem.invalid("spec.limits[" + i + "].cost", "too high"))
            .toList();

    assertThat(Problem.summary(seven))
        .isEqualTo(
            "spec.limits[0].cost: too high; spec.limits[1].cost: too high; spec.limits[2].cost:"
                + " too high; spec.limits[3].cost: too high; spec.limits[4].cost: too high; and 2"
                + " more");
  }

  /** A rule that throws is the judged resource's problem, never its caller's exception. */
  @Test
  void aRuleThatFailsUnexpectedlyIsTheResourcesProblem() throws Exception {
    Rulebook failing =
        RULEBOOK
            .withRouteRule(
                (route, problems) -> {
                  throw new NullPointerException("spec.match.headers[0] is null");
                })
            .withPolicyRule(
                (policy, problems) -> {
                  throw new IllegalStateException("no such limit");
                });
    RouteSpec spec = YAML.readValue("match: {pathPrefix: /}\n" + BACKEND, RouteSpec.class);

    assertThat(failing.check(new SnapshotRoute("shop", "orders", spec, List.of())))
        .containsExactly(
            Problem.invalid("spec", "cannot be judged: spec.match.headers[0] is null"));
    assertThat(
            failing.check(
                new SnapshotPolicy(
                    "shop",
                    "p",
                    YAML.readValue(
                        limit("{name: a, rate: {requests: 1, period: 1s}}"),
                        RateLimitPolicySpec.class))))
        .containsExactly(Problem.invalid("spec", "cannot be judged: no such limit"));
  }
}
