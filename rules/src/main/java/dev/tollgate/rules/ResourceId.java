package dev.tollgate.rules;

import dev.tollgate.api.snapshot.SnapshotPolicy;
import dev.tollgate.api.snapshot.SnapshotRoute;
import java.util.Objects;

/**
 * Names one Route or RateLimitPolicy wherever resources are judged, stored or reported: the
 * operator's bookkeeping, the gateways' rejection reports and the problems they log.
 */
public record ResourceId(Kind kind, String namespace, String name) {
  /** The kinds a gateway configuration is made of, with their Kubernetes kind names. */
  public enum Kind {
    ROUTE("Route"),
    RATE_LIMIT_POLICY("RateLimitPolicy");

    private final String kindName;

    Kind(String kindName) {
      this.kindName = kindName;
    }

    /** The Kubernetes {@code kind}, e.g. {@code RateLimitPolicy}. */
    public String kindName() {
      return kindName;
    }

    /** The kind whose {@link #kindName()} is {@code name}. */
    public static Kind named(String name) {
      for (Kind kind : values()) {
        if (kind.kindName.equals(name)) {
          return kind;
        }
      }
      throw new IllegalArgumentException(
          "kind: '" + name + "' is neither Route nor RateLimitPolicy");
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

  public static ResourceId of(SnapshotRoute route) {
    return route(route.namespace(), route.name());
  }

  public static ResourceId of(SnapshotPolicy policy) {
    return policy(policy.namespace(), policy.name());
  }

  /** {@code Route shop/orders}. */
  @Override
  public String toString() {
    return kind.kindName + " " + namespace + "/" + name;
  }
}
