package dev.tollgate.gateway.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class RouteIdTest {
  @Test
  void anUnnamedRuleKeepsItsNumberedLabelWhileNoRuleIsNamedSo() {
    RouteId id = RouteId.unnamedHttpRouteRule("web", "store", 2, Set.of("canary"));

    assertThat(id).hasToString("HTTPRoute/web/store#rule-2");
    assertThat(id.rule()).isNull();
  }

  @Test
  void anUnnamedRuleNeverSharesTheLabelOfARuleNamedLikeIt() {
    RouteId unnamed = RouteId.unnamedHttpRouteRule("web", "store", 0, Set.of("rule-0"));
    RouteId named = RouteId.httpRouteRule("web", "store", "rule-0");

    assertThat(unnamed).hasToString("HTTPRoute/web/store#rules[0]").isNotEqualTo(named);
    assertThat(named).hasToString("HTTPRoute/web/store#rule-0");
  }
}
