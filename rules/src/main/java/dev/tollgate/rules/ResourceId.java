package dev.tollgate.rules;

import dev.tollgate.api.snapshot.SnapshotHttpRoute;
import dev.tollgate.api.snapshot.SnapshotPolicy;
import dev.tollgate.api.snapshot.SnapshotRoute;
import java.util.Objects;
import java.util.Optional;

/**
 * Names one Route, RateLimitPolicy or HTTPRoute wherever resources are judged, stored or reported:
 * the operator's bookkeeping, the entries in Redis, the gateways' rejection reports and the
 * problems they log.
 */
public record ResourceId(Kind kind, String namespace, String name) {
  /** The kinds a gateway configuration is made of, with their Kubernetes kind names. */
  public enum Kind {
    ROUTE("Route"),
    RATE_LIMIT_POLICY("RateLimitPolicy"),
    /** A Gateway API HTTPRoute ({@code gateway.networking.k8s.io}). */
    HTTP_ROUTE("HTTPRoute");

    private final String kindName;

    Kind(String kindName) {
      this.kindName = kindName;
    }

    /** The Kubernetes {@code kind}, e.g. {@code RateLimitPolicy}. */
    public String kindName() {
      return kindName;
    }
  }

  public ResourceId {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
  }

  public static ResourceId route(String namespace, String name) {
    return new ResourceId(Kind.ROUTE, namespace, name);
  }

  public static ResourceId policy(String namespace, String name) {
    return new ResourceId(Kind.RATE_LIMIT_POLICY, namespace, name);
  }

  public static ResourceId httpRoute(String namespace, String name) {
    return new ResourceId(Kind.HTTP_ROUTE, namespace, name);
  }

  public static ResourceId of(SnapshotHttpRoute route) {
    return httpRoute(route.namespace(), route.name());
  }

  public static ResourceId of(SnapshotRoute route) {
    return route(route.namespace(), route.name());
  }

  public static ResourceId of(SnapshotPolicy policy) {
    return policy(policy.namespace(), policy.name());
  }

  /**
   * {@code Route/shop/orders}: the field of this resource's entry in Redis and its line in a
   * gateway's report. Unambiguous: namespaces and names are DNS names, without {@code /}.
   */
  public String key() {
    return kind.kindName + "/" + namespace + "/" + name;
  }

  /** The resource a {@link #key()} names; empty when {@code key} is not one. */
  public static Optional<ResourceId> fromKey(String key) {
    String[] parts = key.split("/", -1);
    if (parts.length != 3 || parts[1].isEmpty() || parts[2].isEmpty()) {
      return Optional.empty();
    }
    for (Kind kind : Kind.values()) {
      if (kind.kindName.equals(parts[0])) {
        return Optional.of(new ResourceId(kind, parts[1], parts[2]));
      }
    }
    return Optional.empty();
  }

  /** {@code Route shop/orders}. */
  @Override
  public String toString() {
    return kind.kindName + " " + namespace + "/" + name;
  }
}
