package dev.tollgate.rules;

import java.util.Arrays;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The rules that keep teams sharing one gateway instance apart ({@link Rulebook#withTenancy}):
 * where their Routes may send traffic ({@link UpstreamPolicy}) and which hosts they may claim
 * ({@link HostOwnership}). Read by the operator from its environment; the Helm chart fills it from
 * {@code tenancy.*} and the gateway's ports and Services.
 *
 * @param upstreams where Routes may send traffic
 * @param sharedHosts hosts any namespace may list ({@link HostOwnership#ANY_HOST} for Routes
 *     without hosts)
 */
public record Tenancy(UpstreamPolicy upstreams, Set<String> sharedHosts) {
  public static final String EXTERNAL_BACKEND_NAMESPACES = "TOLLGATE_EXTERNAL_BACKEND_NAMESPACES";
  public static final String CLUSTER_NETWORKS = "TOLLGATE_CLUSTER_NETWORKS";
  public static final String GATEWAY_PORTS = "TOLLGATE_GATEWAY_PORTS";
  public static final String GATEWAY_SERVICES = "TOLLGATE_GATEWAY_SERVICES";
  public static final String SHARED_HOSTS = "TOLLGATE_SHARED_HOSTS";

  public Tenancy {
    sharedHosts = Set.copyOf(sharedHosts);
  }

  /**
   * Reads the settings (null = unset). Defaults are closed: no namespace may use static or name
   * backends, no host is shared.
   *
   * @throws IllegalArgumentException naming the setting when a value is malformed
   */
  public static Tenancy from(Function<String, String> env) {
    AddressBlocks networks;
    try {
      networks = AddressBlocks.parse(env.apply(CLUSTER_NETWORKS));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(CLUSTER_NETWORKS + ": " + e.getMessage(), e);
    }
    return new Tenancy(
        new UpstreamPolicy(
            NamespaceSet.parse(env.apply(EXTERNAL_BACKEND_NAMESPACES)),
            networks,
            list(env.apply(GATEWAY_PORTS)).stream()
                .map(port -> port(port))
                .collect(Collectors.toUnmodifiableSet()),
            services(env.apply(GATEWAY_SERVICES))),
        list(env.apply(SHARED_HOSTS)));
  }

  /** The non-blank entries of a comma-separated setting (null or blank = none). */
  static Set<String> list(String value) {
    if (value == null || value.isBlank()) {
      return Set.of();
    }
    return Arrays.stream(value.split(","))
        .map(String::strip)
        .filter(s -> !s.isEmpty())
        .collect(Collectors.toUnmodifiableSet());
  }

  private static int port(String value) {
    try {
      int port = Integer.parseInt(value);
      if (port >= 1 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(GATEWAY_PORTS + ": '" + value + "' is not a port 1..65535");
  }

  private static Set<String> services(String value) {
    Set<String> services = list(value);
    for (String service : services) {
      if (service.indexOf('/') <= 0 || service.indexOf('/') == service.length() - 1) {
        throw new IllegalArgumentException(
            GATEWAY_SERVICES + ": '" + service + "' is not namespace/name");
      }
    }
    return services;
  }
}
