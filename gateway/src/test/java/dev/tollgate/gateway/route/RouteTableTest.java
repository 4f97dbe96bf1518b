package dev.tollgate.gateway.route;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.re2j.Pattern;
import dev.tollgate.gateway.backend.WeightedBackends;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.Set;
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
  void aCatastrophicBacktrackingPatternMatchesInLinearTime() {
    // java.util.regex needs about 2^40 steps for this path (hours); RE2 a few thousand
    add("evil", List.of(), new PathMatch.Regex(Pattern.compile("/(a+)+b")), Set.of());
    String path = "/" + "a".repeat(40) + "c";

    long start = System.nanoTime();
    String matched =
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
            java.time.Duration.ofSeconds(30), () -> match("a", "GET", path));
    System.out.printf(
        "[regex] /(a+)+b against 41 characters: %d us%n", (System.nanoTime() - start) / 1000);

    assertThat(matched).isEqualTo("404");
    assertThat(match("a", "GET", "/aaab")).isEqualTo("evil");
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

  @Test
  void longerWildcardSuffixBeatsShorterAndNeedsALabelInFront() {
    add("short", List.of("*.com"), new PathMatch.Exact("/x"), Set.of());
    add("long", List.of("*.example.com"), new PathMatch.Prefix("/"), Set.of());

    assertThat(match("a.example.com", "GET", "/x")).isEqualTo("long");
    assertThat(match("example.com", "GET", "/x")).isEqualTo("short");
    assertThat(match(".example.com", "GET", "/x")).isEqualTo("short");
    assertThat(match("com", "GET", "/x")).isEqualTo("404");
  }

  @Test
  void aRegexIsTriedOnlyForPathsStartingWithItsLiteralPart() {
    add("items", List.of(), new PathMatch.Regex(Pattern.compile("/items/[0-9]+")), Set.of());
    add("any", List.of(), new PathMatch.Regex(Pattern.compile("^/(a|b)/.*")), Set.of());
    add("optional", List.of(), new PathMatch.Regex(Pattern.compile("/colou?r")), Set.of());

    assertThat(match("h", "GET", "/items/7")).isEqualTo("items");
    assertThat(match("h", "GET", "/items/x")).isEqualTo("404");
    assertThat(match("h", "GET", "/b/x")).isEqualTo("any");
    assertThat(match("h", "GET", "/color")).isEqualTo("optional");
    assertThat(match("h", "GET", "/colour")).isEqualTo("optional");
  }

  @ParameterizedTest(name = "{0} -> \"{1}\"")
  @CsvSource({
    "/items/[0-9]+, /items/",
    "/api/v2, /api/v2",
    "/colou?r, /colo",
    "/ab*c, /a",
    "/ab{0;2}, /a",
    "/a.b, /a",
    "^/api, ''",
    "(?i)/api, ''",
    "/api|/other, ''",
    "[/]api, ''",
    "/x\\d, /x",
  })
  void literalPrefixOfARegex(String regex, String prefix) {
    assertThat(new PathMatch.Regex(Pattern.compile(regex.replace(';', ','))).literalPrefix())
        .isEqualTo(prefix);
  }

  @Test
  void caseInsensitiveRegexHasNoLiteralPrefix() {
    assertThat(
            new PathMatch.Regex(Pattern.compile("/api", Pattern.CASE_INSENSITIVE)).literalPrefix())
        .isEmpty();
  }

  /**
   * The index must choose exactly what the documented precedence chooses: the first matching entry
   * when every (host, route) pair is sorted by host kind, host length, path kind, prefix length,
   * methods, declaration order. Random tables over a small alphabet make overlaps common.
   */
  @Test
  void indexAgreesWithThePrecedenceOrderOnRandomTables() {
    Random random = new Random(16);
    String[] hosts = {"a.example.com", "b.example.com", "*.example.com", "*.com", "x.org"};
    String[] segments = {"a", "ab", "b", ""};
    String[] methods = {"GET", "POST"};
    for (int table = 0; table < 300; table++) {
      routes.clear();
      int count = 1 + random.nextInt(12);
      for (int r = 0; r < count; r++) {
        List<String> routeHosts = new ArrayList<>();
        for (String host : hosts) {
          if (random.nextInt(4) == 0) {
            routeHosts.add(host);
          }
        }
        String path = randomPath(random, segments);
        PathMatch match =
            switch (random.nextInt(4)) {
              case 0 -> new PathMatch.Exact(path);
              case 1, 2 -> new PathMatch.Prefix(path);
              default ->
                  new PathMatch.Regex(Pattern.compile(path + (random.nextBoolean() ? ".*" : "b?")));
            };
        Set<String> routeMethods =
            random.nextInt(3) == 0 ? Set.of(methods[random.nextInt(2)]) : Set.of();
        add("r" + r, routeHosts, match, routeMethods);
      }
      RouteTable indexed = new RouteTable(routes);
      for (int q = 0; q < 40; q++) {
        String host =
            random.nextBoolean()
                ? hosts[random.nextInt(hosts.length)].replace("*", "w")
                : random.nextBoolean() ? "example.com" : "q.a.example.com";
        String method = methods[random.nextInt(2)];
        String path = randomPath(random, segments);
        String expected = byPrecedence(host, method, path);
        assertThat(indexed.match(host, method, path).map(m -> m.route().id().name()).orElse("404"))
            .as("table %d: %s %s %s over %s", table, method, host, path, routes)
            .isEqualTo(expected);
      }
    }
  }

  @Test
  void tenThousandRoutesFindTheirOwnPathAndNothingElse() {
    for (int i = 0; i < 10_000; i++) {
      add("p" + i, List.of(), new PathMatch.Prefix("/svc-" + i), Set.of());
      add("e" + i, List.of("h" + i + ".example.com"), new PathMatch.Exact("/svc-" + i), Set.of());
    }
    RouteTable table = new RouteTable(routes);
    for (int i = 0; i < 10_000; i += 37) {
      String own = "h" + i + ".example.com";
      assertThat(table.match("other", "GET", "/svc-" + i + "/x").orElseThrow().route().id().name())
          .isEqualTo("p" + i);
      assertThat(table.match(own, "GET", "/svc-" + i).orElseThrow().route().id().name())
          .isEqualTo("e" + i);
      assertThat(table.match(own, "GET", "/svc-" + i + "x")).isEmpty();
    }
  }

  @Test
  void thousandsOfNestedPrefixesAreWalkedWithoutRecursion() {
    StringBuilder prefix = new StringBuilder();
    for (int i = 0; i < 4_000; i++) {
      prefix.append("/a");
      add(
          "p" + i,
          List.of(),
          new PathMatch.Prefix(prefix.toString()),
          Set.of(i == 3_999 ? "PUT" : "GET"));
    }
    RouteTable table = new RouteTable(routes);
    String deepest = prefix + "/x";

    assertThat(table.match("h", "GET", deepest).orElseThrow().route().id().name())
        .isEqualTo("p3998");
    assertThat(table.match("h", "PUT", deepest).orElseThrow().route().id().name())
        .isEqualTo("p3999");
  }

  private static String randomPath(Random random, String[] segments) {
    StringBuilder path = new StringBuilder();
    int depth = 1 + random.nextInt(3);
    for (int i = 0; i < depth; i++) {
      path.append('/').append(segments[random.nextInt(segments.length)]);
    }
    return path.toString();
  }

  /** The documented precedence, restated as a sort of every (host, route) pair. */
  private String byPrecedence(String host, String method, String path) {
    record Pair(HostPattern host, CompiledRoute route) {}
    Comparator<Pair> precedence =
        Comparator.comparingInt((Pair p) -> p.host().isAny() ? 2 : p.host().isWildcard() ? 1 : 0)
            .thenComparingInt(p -> -p.host().pattern().length())
            .thenComparingInt(
                p ->
                    switch (p.route().path()) {
                      case PathMatch.Exact e -> 0;
                      case PathMatch.Prefix x -> 1;
                      case PathMatch.Regex x -> 2;
                    })
            .thenComparingInt(
                p -> p.route().path() instanceof PathMatch.Prefix x ? -x.prefix().length() : 0)
            .thenComparingInt(p -> p.route().methods().isEmpty() ? 1 : 0)
            .thenComparingInt(p -> p.route().declarationOrder());
    List<Pair> pairs = new ArrayList<>();
    for (CompiledRoute route : routes) {
      for (HostPattern pattern : route.hosts()) {
        pairs.add(new Pair(pattern, route));
      }
    }
    return pairs.stream()
        .filter(p -> p.host().matches(host))
        .filter(p -> p.route().methods().isEmpty() || p.route().methods().contains(method))
        .filter(p -> p.route().path().matches(path))
        .min(precedence)
        .map(p -> p.route().id().name())
        .orElse("404");
  }
}
