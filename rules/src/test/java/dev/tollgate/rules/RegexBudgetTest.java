package dev.tollgate.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.api.common.ApiYaml;
import dev.tollgate.api.snapshot.SnapshotHttpRoute;
import dev.tollgate.api.snapshot.SnapshotRoute;
import dev.tollgate.api.v1alpha1.RouteSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How large the RE2 programs of one resource may become. RE2 writes a counted repetition out copy
 * by copy, so a short pattern can stand for a program no gateway holds: it must be refused before
 * it is compiled, on the resource alone.
 */
class RegexBudgetTest {
  private static final ObjectMapper YAML = ApiYaml.mapper();
  private static final Rulebook RULEBOOK = Rulebook.standard();
  private static final String TOO_LARGE =
      "too large: RE2 writes out every repetition, and this resource's regular expressions would"
          + " compile to more than 100000 instructions";

  private static List<String> route(String pathRegex) throws Exception {
    RouteSpec spec =
        YAML.readValue(
            "match: {pathRegex: '"
                + pathRegex
                + "'}\nbackend: {endpoints: ['http://127.0.0.1:9000']}\n",
            RouteSpec.class);
    return RULEBOOK.check(new SnapshotRoute("shop", "orders", spec, List.of())).stream()
        .map(Problem::toString)
        .toList();
  }

  @Test
  void nestedRepetitionsAreRefusedBeforeTheyAreCompiled() throws Exception {
    // 24 characters within the schema's 256; compiled, a billion instructions (out of memory)
    assertThat(route("/((a{1000}){1000}){1000}"))
        .containsExactly("spec.match.pathRegex: " + TOO_LARGE);
  }

  @Test
  void repetitionsOfUsualSizesAreAccepted() throws Exception {
    assertThat(route("/items/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"))
        .isEmpty();
    assertThat(route("/(users|teams)/[a-z0-9-]{1,1000}/(?:x{2,5}|y*)+\\p{L}{3}[\\]{}]{2}"))
        .isEmpty();
    // a brace that starts no repetition is a literal one
    assertThat(route("/a{,5}/b{x}")).isEmpty();
  }

  @Test
  void theRegularExpressionsOfOneHttpRouteShareTheBudget() throws Exception {
    StringBuilder headers = new StringBuilder();
    for (int i = 0; i < 120; i++) {
      headers.append("          - {name: X-H").append(i).append(", type: RegularExpression,");
      headers.append(" value: '[a-z]{1000}'}\n");
    }
    SnapshotHttpRoute route =
        YAML.readValue(
            """
            namespace: web
            name: store
            rules:
              - matches:
                  - path: {type: PathPrefix, value: /items}
                    headers:
            """
                + headers,
            SnapshotHttpRoute.class);

    // each counts 1000; the first 100 fit in the budget, the others are refused with the route
    List<Problem> problems = RULEBOOK.check(route);
    assertThat(problems).hasSize(20);
    assertThat(problems.getFirst().field())
        .isEqualTo("spec.rules[0].matches[0].headers[100].value");
    assertThat(problems).extracting(Problem::message).containsOnly(TOO_LARGE);
  }
}
