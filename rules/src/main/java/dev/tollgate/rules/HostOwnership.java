package dev.tollgate.rules;

import dev.tollgate.api.common.ConditionReason;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which namespace each host belongs to, on a gateway instance that several teams share: the
 * namespace of the oldest Route that lists it. A Route of another namespace that lists an owned
 * host is refused ({@code HostConflict}, naming the host's field), so no team can take over
 * another's host, for example with a more specific path that would win the match. A Route without
 * {@code spec.hosts} serves every host and is owned like one more host, "any host".
 *
 * <p>Ownership counts every Route that claims a host, valid or not, so a typo in the owner's Route
 * never hands its host to someone else. Hosts in {@code sharedHosts} (the chart's {@code
 * tenancy.sharedHosts}; {@code *} stands for "any host") belong to no one: every namespace may
 * list them, and the usual match precedence decides between their Routes. Ties in age go to the
 * namespace and name that sort first, so every operator replica computes the same owners.
 */
public final class HostOwnership {
  /** What a Route claims: its id, its hosts (empty = any host) and its creation time. */
  public record Claim(ResourceId route, List<String> hosts, Instant since) {
    public Claim {
      hosts = hosts == null ? List.of() : List.copyOf(hosts);
    }
  }

  /** The key that stands for "any host" (a Route without hosts), also in {@code sharedHosts}. */
  public static final String ANY_HOST = "*";

  private static final Comparator<Claim> OLDEST_FIRST =
      Comparator.comparing(Claim::since)
          .thenComparing(c -> c.route().namespace())
          .thenComparing(c -> c.route().name());

  private final Map<String, Claim> owners;
  private final Set<String> sharedHosts;

  private HostOwnership(Map<String, Claim> owners, Set<String> sharedHosts) {
    this.owners = owners;
    this.sharedHosts = sharedHosts;
  }

  public static HostOwnership of(Collection<Claim> claims, Set<String> sharedHosts) {
    Map<String, Claim> owners = new HashMap<>();
    claims.stream()
        .sorted(OLDEST_FIRST)
        .forEach(claim -> keys(claim.hosts()).forEach(host -> owners.putIfAbsent(host, claim)));
    return new HostOwnership(owners, Set.copyOf(sharedHosts));
  }

  /** The {@code HostConflict} problems of {@code route}: hosts it lists that another owns. */
  public List<Problem> conflicts(ResourceId route, List<String> hosts) {
    List<Problem> problems = new ArrayList<>();
    List<String> keys = keys(hosts == null ? List.of() : hosts);
    for (int i = 0; i < keys.size(); i++) {
      String host = keys.get(i);
      Claim owner = owners.get(host);
      if (owner == null
          || sharedHosts.contains(host)
          || owner.route().namespace().equals(route.namespace())) {
        continue;
      }
      String field = host.equals(ANY_HOST) ? "spec.hosts" : "spec.hosts[" + i + "]";
      String what = host.equals(ANY_HOST) ? "any host (no spec.hosts)" : "host '" + host + "'";
      problems.add(
          new Problem(
              field,
              ConditionReason.HOST_CONFLICT,
              what
                  + " belongs to namespace '"
                  + owner.route().namespace()
                  + "' ("
                  + owner.route()
                  + " claimed it first)"));
    }
    return problems;
  }

  private static List<String> keys(List<String> hosts) {
    return hosts.isEmpty() ? List.of(ANY_HOST) : hosts;
  }
}
