package dev.tollgate.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.api.common.ConditionReason;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HostOwnershipTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static HostOwnership.Claim claim(String ns, String name, int second, String... hosts) {
    return new HostOwnership.Claim(
        ResourceId.route(ns, name), List.of(hosts), T0.plusSeconds(second));
  }

  private static HostOwnership owners(Set<String> shared, HostOwnership.Claim... claims) {
    return HostOwnership.of(List.of(claims), shared, Map.of());
  }

  @Test
  void aHostStaysWithItsNamespaceWhenAnOlderRouteOfAnotherAddsIt() {
    // team-a's Route is older, and edited to list the host team-b has been serving
    HostOwnership.Claim squatter =
        claim("team-a", "old", 1, "other.example.com", "shop.example.com");
    HostOwnership.Claim shop = claim("team-b", "shop", 5, "shop.example.com");
    HostOwnership owners =
        HostOwnership.of(
            List.of(squatter, shop),
            Set.of(),
            Map.of("shop.example.com", "team-b", "other.example.com", "team-a"));

    assertThat(owners.conflicts(shop)).isEmpty();
    assertThat(owners.conflicts(squatter))
        .singleElement()
        .satisfies(p -> assertThat(p.field()).isEqualTo("spec.hosts[1]"));
    assertThat(owners.ownerNamespaces())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("shop.example.com", "team-b", "other.example.com", "team-a"));
    // without what was owned before, age alone decides, as on a first judgement
    assertThat(owners(Set.of(), squatter, shop).conflicts(shop)).hasSize(1);
  }

  @Test
  void aServedWildcardIsNotUndercutByAnOlderRouteAndAServedHostNotByAnOlderWildcard() {
    HostOwnership.Claim wildcard = claim("team-b", "all", 5, "*.example.com");
    HostOwnership.Claim under = claim("team-a", "old", 1, "api.example.com");
    Map<String, String> before = Map.of("*.example.com", "team-b");

    // team-a's older Route adding a name under team-b's served wildcard would take its traffic
    assertThat(HostOwnership.of(List.of(wildcard, under), Set.of(), before).conflicts(under))
        .singleElement()
        .satisfies(p -> assertThat(p.message()).contains("is under '*.example.com'"));
    // a name team-a served before team-b's wildcard came stays team-a's
    Map<String, String> both = Map.of("*.example.com", "team-b", "api.example.com", "team-a");
    assertThat(HostOwnership.of(List.of(wildcard, under), Set.of(), both).conflicts(under))
        .isEmpty();
  }

  @Test
  void anotherRouteOfTheServingNamespaceKeepsTheHostWhenTheFirstGoes() {
    HostOwnership.Claim second = claim("team-b", "second", 9, "shop.example.com");
    HostOwnership.Claim squatter = claim("team-a", "old", 1, "shop.example.com");
    HostOwnership owners =
        HostOwnership.of(List.of(squatter, second), Set.of(), Map.of("shop.example.com", "team-b"));

    assertThat(owners.conflicts(second)).isEmpty();
    assertThat(owners.conflicts(squatter)).hasSize(1);
  }

  @Test
  void theOldestClaimOwnsAHostAndLaterClaimsFromOtherNamespacesConflict() {
    HostOwnership.Claim orders = claim("team-a", "orders", 1, "shop.example.com");
    HostOwnership.Claim steal =
        claim("team-b", "steal", 5, "other.example.com", "shop.example.com");
    HostOwnership owners = owners(Set.of(), steal, orders);

    assertThat(owners.conflicts(orders)).isEmpty();
    assertThat(owners.conflicts(steal))
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
    HostOwnership.Claim admin = claim("team-a", "admin", 9, "shop.example.com");
    HostOwnership owners =
        owners(Set.of(), claim("team-a", "orders", 1, "shop.example.com"), admin);

    assertThat(owners.conflicts(admin)).isEmpty();
  }

  @Test
  void sharedHostsBelongToNoOne() {
    HostOwnership.Claim b = claim("team-b", "b", 2, "api.example.com");
    HostOwnership owners =
        owners(Set.of("api.example.com"), claim("team-a", "a", 1, "api.example.com"), b);

    assertThat(owners.conflicts(b)).isEmpty();
  }

  @Test
  void aRouteWithoutHostsClaimsAnyHostUnlessItIsShared() {
    HostOwnership.Claim catchAll = claim("team-a", "catch-all", 1);
    HostOwnership.Claim also = claim("team-b", "also", 2);

    assertThat(owners(Set.of(), catchAll, also).conflicts(also))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.field()).isEqualTo("spec.hosts");
              assertThat(p.message())
                  .startsWith("any host (no spec.hosts) belongs to namespace 'team-a'");
            });
    assertThat(owners(Set.of(HostOwnership.ANY_HOST), catchAll, also).conflicts(also)).isEmpty();
  }

  @Test
  void anyHostDoesNotCoverNamedHosts() {
    HostOwnership.Claim named = claim("team-b", "named", 2, "shop.example.com");

    assertThat(owners(Set.of(), claim("team-a", "catch-all", 1), named).conflicts(named)).isEmpty();
  }

  @Test
  void anEarlierWildcardCoversTheNamesUnderItClaimedLaterByAnotherNamespace() {
    HostOwnership.Claim wildcard = claim("team-a", "all", 1, "*.example.com");
    HostOwnership.Claim exact = claim("team-b", "api", 2, "api.example.com");
    HostOwnership.Claim deeper = claim("team-b", "deep", 3, "x.y.example.com", "*.z.example.com");
    HostOwnership.Claim elsewhere = claim("team-b", "other", 4, "example.com", "api.example.org");
    HostOwnership owners = owners(Set.of(), wildcard, exact, deeper, elsewhere);

    assertThat(owners.conflicts(exact))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.field()).isEqualTo("spec.hosts[0]");
              assertThat(p.message())
                  .isEqualTo(
                      "host 'api.example.com' is under '*.example.com', which belongs to"
                          + " namespace 'team-a' (Route team-a/all claimed it first)");
            });
    assertThat(owners.conflicts(deeper))
        .extracting(Problem::field)
        .containsExactly("spec.hosts[0]", "spec.hosts[1]");
    // example.com itself is not under *.example.com (a wildcard needs a label in front)
    assertThat(owners.conflicts(elsewhere)).isEmpty();
    assertThat(owners.conflicts(wildcard)).isEmpty();
  }

  @Test
  void aLaterWildcardDoesNotTakeBackAnEarlierExactHost() {
    HostOwnership.Claim exact = claim("team-b", "api", 1, "api.example.com");
    HostOwnership.Claim wildcard = claim("team-a", "all", 2, "*.example.com");
    HostOwnership owners = owners(Set.of(), exact, wildcard);

    assertThat(owners.conflicts(exact)).isEmpty();
    assertThat(owners.conflicts(wildcard)).isEmpty();
  }

  @Test
  void aSharedWildcardCoversNothing() {
    HostOwnership.Claim exact = claim("team-b", "api", 2, "api.example.com");

    assertThat(
            owners(Set.of("*.example.com"), claim("team-a", "all", 1, "*.example.com"), exact)
                .conflicts(exact))
        .isEmpty();
  }

  @Test
  void coveringWildcardsRunFromNarrowestToWidest() {
    assertThat(HostOwnership.coveringWildcards("a.b.example.com"))
        .containsExactly("*.b.example.com", "*.example.com", "*.com");
    assertThat(HostOwnership.coveringWildcards("*.b.example.com"))
        .containsExactly("*.example.com", "*.com");
    assertThat(HostOwnership.coveringWildcards("localhost")).isEmpty();
    assertThat(HostOwnership.coveringWildcards(HostOwnership.ANY_HOST)).isEmpty();
  }

  @Test
  void equalAgesGoToTheNamespaceThatSortsFirst() {
    HostOwnership.Claim zeta = claim("zeta", "z", 1, "h.example.com");
    HostOwnership.Claim alpha = claim("alpha", "a", 1, "h.example.com");

    assertThat(owners(Set.of(), zeta, alpha).conflicts(zeta)).hasSize(1);
    assertThat(owners(Set.of(), alpha, zeta).conflicts(alpha)).isEmpty();
  }
}
