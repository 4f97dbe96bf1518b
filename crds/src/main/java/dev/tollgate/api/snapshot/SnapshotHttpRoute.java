package dev.tollgate.api.snapshot;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteFilter;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteMatch;
import java.util.List;

/**
 * A Gateway API HTTPRoute in a {@link ConfigSnapshot}, as the operator resolved it for the Gateways
 * of Tollgate's class it is attached to: the hostnames it serves there, and its rules with their
 * matches and filters exactly as in the cluster and each backendRef resolved to the ready endpoints
 * of its Service.
 *
 * @param createdAt {@code metadata.creationTimestamp} (RFC 3339): the older route wins a tie of
 *     match precedence, as the Gateway API specifies
 * @param hostnames the route's hostnames intersected with those of the listeners it attaches to;
 *     empty = any host
 * @param gateways {@code <namespace>/<name>} of each Gateway the route is attached to (a policy on
 *     a Gateway applies to the routes attached to it)
 */
public record SnapshotHttpRoute(
    String namespace,
    String name,
    String createdAt,
    List<String> hostnames,
    List<String> gateways,
    List<Rule> rules) {
  public SnapshotHttpRoute {
    hostnames = hostnames == null ? List.of() : List.copyOf(hostnames);
    gateways = gateways == null ? List.of() : List.copyOf(gateways);
    rules = rules == null ? List.of() : List.copyOf(rules);
  }

  /**
   * One rule: requests matching any of {@code matches} (none = every path) get {@code filters}
   * applied and go to one of {@code backends}, chosen by weight.
   *
   * @param name {@code rules[].name}, or null (a policy's {@code sectionName} names it)
   */
  public record Rule(
      String name,
      List<HTTPRouteMatch> matches,
      List<HTTPRouteFilter> filters,
      List<Backend> backends) {
    public Rule {
      matches = matches == null ? List.of() : List.copyOf(matches);
      filters = filters == null ? List.of() : List.copyOf(filters);
      backends = backends == null ? List.of() : List.copyOf(backends);
    }
  }

  /**
   * One backendRef: its weight and the base URLs of its ready endpoints ({@code
   * http://10.1.2.3:8080}), or, when it cannot be used, why: a request that picks it is answered
   * 500, as the Gateway API specifies for an invalid backend.
   *
   * @param ref {@code <namespace>/<name>:<port>} of the Service, for logs and metrics
   * @param problem null when resolved; else e.g. {@code RefNotPermitted: ...}
   */
  public record Backend(String ref, int weight, List<String> endpoints, String problem) {
    public Backend {
      endpoints = endpoints == null ? List.of() : List.copyOf(endpoints);
    }
  }
}
