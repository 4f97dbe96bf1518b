package dev.tollgate.operator.snapshot;

import dev.tollgate.api.v1alpha1.Route;
import dev.tollgate.rules.HostOwnership;
import dev.tollgate.rules.ResourceId;
import dev.tollgate.rules.Rulebook;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Who owns which host, carried from one compilation to the next: each judgement keeps the hosts
 * with the namespaces that owned them ({@link HostOwnership}), and its owners are those of the
 * next. Seeded from the stored configuration before a leader's first compilation ({@link
 * #ownedBefore}). The compiler judges and records; Route reconciles judge against the same owners,
 * so a status names the owner the snapshot serves.
 */
public final class HostOwners {
  private final Rulebook rulebook;

  /** Host to owning namespace ({@link HostOwnership#ANY_HOST} for "any host"), as last judged. */
  private volatile Map<String, String> namespaces = Map.of();

  HostOwners(Rulebook rulebook) {
    this.rulebook = rulebook;
  }

  /** The claim of a Route: its hosts since it was created. */
  public static HostOwnership.Claim claim(ResourceId id, Route route) {
    String created = route.getMetadata().getCreationTimestamp();
    return new HostOwnership.Claim(
        id,
        route.getSpec() == null ? List.of() : route.getSpec().getHosts(),
        created == null ? Instant.MAX : Instant.parse(created));
  }

  /** The namespaces that owned hosts before the first judgement; their Routes keep those hosts. */
  public void ownedBefore(Map<String, String> owners) {
    namespaces = Map.copyOf(owners);
  }

  /** {@code claims} judged against the owners as last recorded, without recording anything. */
  public HostOwnership judge(Collection<HostOwnership.Claim> claims) {
    return rulebook.hostOwners(claims, namespaces);
  }

  /** {@code claims} judged, and their owners recorded for the next judgement. */
  HostOwnership judgeAndRecord(Collection<HostOwnership.Claim> claims) {
    HostOwnership owners = judge(claims);
    namespaces = owners.ownerNamespaces();
    return owners;
  }
}
