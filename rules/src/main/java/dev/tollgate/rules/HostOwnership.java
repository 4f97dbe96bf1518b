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
 * namespace that owned it before (the {@code incumbents}, from the last compilation or the stored
 * configuration), as long as one of its Routes still lists it; otherwise the namespace of the
 * oldest Route that lists it. Age alone would let a team take a live host by adding it to a Route
 * created before the owner's. A Route of another namespace that lists an owned host is refused
 * ({@code HostConflict}, naming the host's field), so no team can take over another's host, for
 * example with a more specific path that would win the match. A wildcard {@code *.example.com} also
 * covers the names under it that are claimed later, since an exact name wins over a wildcard. A
 * Route without {@code spec.hosts} serves every host and is owned like one more host, "any host";
 * it does not cover named hosts (a named host wins over "any host" only for the requests that name
 * it, which the catch-all's owner did not name).
 *
 * <p>Ownership counts every Route that claims a host, valid or not, so a typo in the owner's Route
 * never hands its host to someone else. Hosts in {@code sharedHosts} (the chart's {@code
 * tenancy.sharedHosts}; {@code *} stands for "any host") belong to no one: every namespace may list
 * them, and the usual match precedence decides between their Routes. Ties in age go to the
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
  private final Map<String, String> incumbents;

  private HostOwnership(
      Map<String, Claim> owners, Set<String> sharedHosts, Map<String, String> incumbents) {
    this.owners = owners;
    this.sharedHosts = sharedHosts;
    this.incumbents = incumbents;
  }

  /**
   * @param incumbents the namespace that owned each host before, by host ({@link #ANY_HOST} for
   *     "any host"); empty when nothing is known (then age alone decides)
   */
  public static HostOwnership of(
      Collection<Claim> claims, Set<String> sharedHosts, Map<String, String> incumbents) {
    Map<String, Claim> owners = new HashMap<>();
    List<Claim> oldestFirst = claims.stream().sorted(OLDEST_FIRST).toList();
    for (Claim claim : oldestFirst) {
      for (String host : keys(claim.hosts())) {
        if (claim.route().namespace().equals(incumbents.get(host))) {
          owners.putIfAbsent(host, claim);
        }
      }
    }
    oldestFirst.forEach(
        claim -> keys(claim.hosts()).forEach(host -> owners.putIfAbsent(host, claim)));
    return new HostOwnership(owners, Set.copyOf(sharedHosts), Map.copyOf(incumbents));
  }

  /** The owning namespace of each host claimed: the incumbents of the next judgement. */
  public Map<String, String> ownerNamespaces() {
    Map<String, String> namespaces = new HashMap<>();
    owners.forEach((host, claim) -> namespaces.put(host, claim.route().namespace()));
    return Map.copyOf(namespaces);
  }

  /**
   * The {@code HostConflict} problems of {@code claim}'s Route: hosts it lists that another
   * namespace owns, and hosts under a wildcard another namespace claimed earlier ({@code
   * api.example.com} or {@code *.api.example.com} under {@code *.example.com}), since the more
   * specific host would win the match and take that namespace's traffic. An earlier claim is not
   * taken back by a later, broader wildcard: the exact host still wins the match.
   */
  public List<Problem> conflicts(Claim claim) {
    List<Problem> problems = new ArrayList<>();
    List<String> keys = keys(claim.hosts());
    for (int i = 0; i < keys.size(); i++) {
      String host = keys.get(i);
      if (sharedHosts.contains(host)) {
        continue;
      }
      String field = host.equals(ANY_HOST) ? "spec.hosts" : "spec.hosts[" + i + "]";
      String what = host.equals(ANY_HOST) ? "any host (no spec.hosts)" : "host '" + host + "'";
      Claim owner = owners.get(host);
      if (owner != null && !sameNamespace(owner, claim)) {
        problems.add(conflict(field, what + " belongs to", owner));
        continue;
      }
      if (claim.route().namespace().equals(incumbents.get(host))) {
        continue; // its namespace served this host before the wildcard's was judged over it
      }
      for (String wildcard : coveringWildcards(host)) {
        Claim wider = owners.get(wildcard);
        if (wider != null
            && !sharedHosts.contains(wildcard)
            && !sameNamespace(wider, claim)
            && (wider.route().namespace().equals(incumbents.get(wildcard))
                || OLDEST_FIRST.compare(wider, claim) < 0)) {
          problems.add(
              conflict(field, what + " is under '" + wildcard + "', which belongs to", wider));
          break;
        }
      }
    }
    return problems;
  }

  private static boolean sameNamespace(Claim a, Claim b) {
    return a.route().namespace().equals(b.route().namespace());
  }

  private static Problem conflict(String field, String what, Claim owner) {
    return new Problem(
        field,
        ConditionReason.HOST_CONFLICT,
        what
            + " namespace '"
            + owner.route().namespace()
            + "' ("
            + owner.route()
            + " claimed it first)");
  }

  /**
   * The wildcards that match every name {@code host} matches, narrowest first: for {@code
   * a.b.example.com} (or {@code *.a.b.example.com}) {@code *.b.example.com}, {@code *.example.com},
   * {@code *.com}. A wildcard needs at least one label in front of its suffix, so the host's own
   * first label is never part of one.
   */
  static List<String> coveringWildcards(String host) {
    if (host.equals(ANY_HOST)) {
      return List.of();
    }
    String name = host.startsWith("*.") ? host.substring(2) : host;
    List<String> wildcards = new ArrayList<>();
    for (int dot = name.indexOf('.'); dot >= 0; dot = name.indexOf('.', dot + 1)) {
      wildcards.add("*" + name.substring(dot));
    }
    return wildcards;
  }

  private static List<String> keys(List<String> hosts) {
    return hosts.isEmpty() ? List.of(ANY_HOST) : hosts;
  }
}
