package dev.tollgate.operator.snapshot;

/** Identifies one Route or RateLimitPolicy in the snapshot. */
public record ResourceKey(Kind kind, String namespace, String name) {
  /** The kinds the snapshot carries. */
  public enum Kind {
    ROUTE,
    POLICY
  }

  public static ResourceKey route(String namespace, String name) {
    return new ResourceKey(Kind.ROUTE, namespace, name);
  }

  public static ResourceKey policy(String namespace, String name) {
    return new ResourceKey(Kind.POLICY, namespace, name);
  }
}
