package dev.tollgate.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.api.common.ConditionReason;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HostOwnershipTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static HostOwnership.Claim claim(String ns, String name, int second, String... hosts) {
    return new HostOwnership.Claim(ResourceId.route(ns, name), List.of(hosts), T0.plusSeconds(second));
  }

  @Test
  void theOldestClaimOwnsAHostAndLaterClaimsFromOtherNamespacesConflict() {
    HostOwnership owners =
        HostOwnership.of(
            List.of(
                claim("team-b", "steal", 5, "other.example.com", "shop.example.com"),
                claim("team-a", "orders", 1, "shop.example.com")),
            Set.of());

    assertThat(owners.conflicts(ResourceId.route("team-a", "orders"), List.of("shop.example.com")))
        .isEmpty();
    assertThat(
            owners.conflicts(
                ResourceId.route("team-b", "steal"),
                List.of("other.example.com", "shop.example.com")))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.field()).isEqualTo("spec.hosts[1]");
              assertThat(p.reason()).isEqualTo(ConditionReason.HOST_CONFLICT);
              assertThat(p.message())
                  .isEqualTo(
                      "host 'shop.example.com' belongs to namespace 'team-a' (Route team-a/orders"
                          + " claimed it first)");
            });
  }

  @Test
  void routesOfTheOwnersNamespaceShareItsHosts() {
    HostOwnership owners =
        HostOwnership.of(
            List.of(claim("team-a", "orders", 1, "shop.example.com")), Set.of());

    assertThat(owners.conflicts(ResourceId.route("team-a", "admin"), List.of("shop.example.com")))
        .isEmpty();
  }

  @Test
  void sharedHostsBelongToNoOne() {
    HostOwnership owners =
        HostOwnership.of(
            List.of(claim("team-a", "a", 1, "api.example.com"), claim("team-b", "b", 2)),
            Set.of("api.example.com"));

    assertThat(owners.conflicts(ResourceId.route("team-b", "b"), List.of("api.example.com")))
        .isEmpty();
  }

  @Test
  void aRouteWithoutHostsClaimsAnyHost() {
    HostOwnership owners =
        HostOwnership.of(List.of(claim("team-a", "catch-all", 1), claim("team-b", "also", 2)), Set.of());

    assertThat(owners.conflicts(ResourceId.route("team-b", "also"), List.of()))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.field()).isEqualTo("spec.hosts");
              assertThat(p.message()).startsWith("any host (no spec.hosts) belongs to namespace 'team-a'");
            });
    assertThat(
            HostOwnership.of(
                    List.of(claim("team-a", "catch-all", 1), claim("team-b", "also", 2)),
                    Set.of(HostOwnership.ANY_HOST))
                .conflicts(ResourceId.route("team-b", "also"), List.of()))
        .isEmpty();
  }

  @Test
  void equalAgesGoToTheNamespaceThatSortsFirst() {
    List<HostOwnership.Claim> claims =
        List.of(claim("zeta", "z", 1, "h.example.com"), claim("alpha", "a", 1, "h.example.com"));

    assertThat(HostOwnership.of(claims, Set.of()).conflicts(ResourceId.route("zeta", "z"), List.of("h.example.com")))
        .hasSize(1);
    assertThat(HostOwnership.of(claims.reversed(), Set.of()).conflicts(ResourceId.route("alpha", "a"), List.of("h.example.com")))
        .isEmpty();
  }
}
