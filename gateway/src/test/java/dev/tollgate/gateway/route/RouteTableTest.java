package dev.tollgate.gateway.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.gateway.proxy.WeightedBackends;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RouteTableTest {
  private final List<CompiledRoute> routes = new ArrayList<>();

  private void add(String name, List<String> hosts, PathMatch path, Set<String> methods) {
    addRewriting(name, hosts, path, methods, null);
  }

  private void addRewriting(
      String name, List<String> hosts, PathMatch path, Set<String> methods, String replace) {
    List<HostPattern> patterns =
        hosts.isEmpty() ? List.of(HostPattern.ANY) : hosts.stream().map(HostPattern::of).toList();
    routes.add(
        new CompiledRoute(
            new RouteId("t", name),
            routes.size(),
            patterns,
            path,
            methods,
            List.of(),
            List.of(),
            RouteFilters.rewrite(
                replace == null ? PathRewrite.NONE : new PathRewrite.ReplacePrefix(replace)),
            WeightedBackends.of(List.of()),
            Set.of()));
  }

  private String match(String host, String method, String path) {
    return new RouteTable(routes)
        .match(host, method, path)
        .map(m -> m.route().id().name())
        .orElse("404");
  }

  @Test
  void exactBeatsPrefixBeatsRegexWhateverTheDeclarationOrder() {
    add("regex", List.of(), new PathMatch.Regex(Pattern.compile("/orders/.*")), Set.of());
    add("prefix", List.of(), new PathMatch.Prefix("/orders"), Set.of());
    add("exact", List.of(), new PathMatch.Exact("/orders/7"), Set.of());

    assertThat(match("a", "GET", "/orders/7")).isEqualTo("exact");
    assertThat(match("a", "GET", "/orders/8")).isEqualTo("prefix");
  }

  @Test
  void longestPrefixWins() {
    add("short", List.of(), new PathMatch.Prefix("/api"), Set.of());
    add("long", List.of(), new PathMatch.Prefix("/api/v2"), Set.of());
    add("root", List.of(), new PathMatch.Prefix("/"), Set.of());

    assertThat(match("a", "GET", "/api/v2/x")).isEqualTo("long");
    assertThat(match("a", "GET", "/api/v1/x")).isEqualTo("short");
    assertThat(match("a", "GET", "/other")).isEqualTo("root");
  }

  @ParameterizedTest(name = "prefix /orders vs {0}: {1}")
  @CsvSource({
    "/orders, true",
    "/orders/, true",
    "/orders/7, true",
    "/ordersx, false",
    "/order, false"
  })
  void prefixMatchesWholeSegmentsOnly(String path, boolean matches) {
    add("orders", List.of(), new PathMatch.Prefix("/orders"), Set.of());
    assertThat(match("a", "GET", path)).isEqualTo(matches ? "orders" : "404");
  }

  @Test
  void regexesMatchTheWholePathInDeclarationOrder() {
    add("first", List.of(), new PathMatch.Regex(Pattern.compile("/items/[0-9]+")), Set.of());
    add("second", List.of(), new PathMatch.Regex(Pattern.compile("/items/.*")), Set.of());

    assertThat(match("a", "GET", "/items/12")).isEqualTo("first");
    assertThat(match("a", "GET", "/items/abc")).isEqualTo("second");
    assertThat(match("a", "GET", "/x/items/12")).isEqualTo("404");
  }

  @Test
  void exactHostBeatsWildcardBeatsAnyEvenWithALessSpecificPath() {
    add("any", List.of(), new PathMatch.Exact("/orders"), Set.of());
    add("wildcard", List.of("*.example.com"), new PathMatch.Prefix("/"), Set.of());
    add("exact", List.of("api.example.com"), new PathMatch.Prefix("/"), Set.of());

    assertThat(match("api.example.com", "GET", "/orders")).isEqualTo("exact");
    assertThat(match("www.example.com", "GET", "/orders")).isEqualTo("wildcard");
    assertThat(match("a.b.example.com", "GET", "/orders")).isEqualTo("wildcard");
    assertThat(match("example.com", "GET", "/orders")).isEqualTo("any");
    assertThat(match("other.org", "GET", "/x")).isEqualTo("404");
  }

  @Test
  void methodRestrictedRouteBeatsAnyMethodRouteWithTheSamePath() {
    add("any", List.of(), new PathMatch.Prefix("/orders"), Set.of());
    add("writes", List.of(), new PathMatch.Prefix("/orders"), Set.of("POST", "PUT"));

    assertThat(match("a", "POST", "/orders")).isEqualTo("writes");
    assertThat(match("a", "GET", "/orders")).isEqualTo("any");
  }

  @Test
  void methodMismatchIsNoRoute() {
    add("reads", List.of(), new PathMatch.Prefix("/orders"), Set.of("GET"));
    assertThat(match("a", "DELETE", "/orders")).isEqualTo("404");
  }

  @Test
  void declarationOrderBreaksRemainingTies() {
    add("first", List.of(), new PathMatch.Prefix("/a"), Set.of());
    add("second", List.of(), new PathMatch.Prefix("/a"), Set.of());
    assertThat(match("h", "GET", "/a")).isEqualTo("first");
  }

  @ParameterizedTest(name = "{0} with /orders -> {1}: {2}")
  @CsvSource({
    "/orders/7, /, /7",
    "/orders, /, /",
    "/orders/, /, /",
    "/orders/7, /v1/orders, /v1/orders/7",
    "/orders, /v1/orders, /v1/orders",
    "/orders/7, /v1/, /v1/7",
  })
  void rewritesTheMatchedPrefix(String path, String replacement, String upstream) {
    addRewriting("r", List.of(), new PathMatch.Prefix("/orders"), Set.of(), replacement);
    assertThat(new RouteTable(routes).match("h", "GET", path).orElseThrow().upstreamPath())
        .isEqualTo(upstream);
  }

  @Test
  void hostIsComparedWithoutPortCaseOrTrailingDot() {
    add("exact", List.of("api.example.com"), new PathMatch.Prefix("/"), Set.of());
    assertThat(match(RequestHost.of("API.Example.COM:8443"), "GET", "/")).isEqualTo("exact");
    assertThat(match(RequestHost.of("api.example.com."), "GET", "/")).isEqualTo("exact");
  }
}
