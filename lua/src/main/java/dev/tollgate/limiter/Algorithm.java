package dev.tollgate.limiter;

import dev.tollgate.api.v1alpha1.Limit;
import dev.tollgate.rules.LimitBounds;
import java.util.Arrays;
import java.util.stream.Collectors;

/** The five algorithms, named as in {@code RateLimitPolicy.spec.limits[].algorithm}. */
public enum Algorithm {
  TOKEN_BUCKET("token-bucket", LimitBounds.Shape.BUCKET),
  GCRA("gcra", LimitBounds.Shape.BUCKET),
  SLIDING_WINDOW("sliding-window", LimitBounds.Shape.WINDOW),
  SLIDING_LOG("sliding-log", LimitBounds.Shape.LOG),
  FIXED_WINDOW("fixed-window", LimitBounds.Shape.WINDOW);

  private final String wireName;
  private final LimitBounds.Shape shape;

  Algorithm(String wireName, LimitBounds.Shape shape) {
    this.wireName = wireName;
    this.shape = shape;
  }

  /** The name in policies, Redis keys and the Lua dispatch table. */
  public String wireName() {
    return wireName;
  }

  /**
   * Whether {@code burst} sets the capacity; window algorithms admit {@code requests} per window.
   */
  public boolean usesBurst() {
    return shape == LimitBounds.Shape.BUCKET;
  }

  /** The same algorithm in the policy model, for the rulebook's calendar rule. */
  public Limit.Algorithm policyAlgorithm() {
    return Limit.Algorithm.valueOf(name());
  }

  /** What the algorithm keeps, for the rulebook's {@link LimitBounds}. */
  public LimitBounds.Shape shape() {
    return shape;
  }

  public static Algorithm fromWireName(String name) {
    for (Algorithm algorithm : values()) {
      if (algorithm.wireName.equals(name)) {
        return algorithm;
      }
    }
    throw new IllegalArgumentException(
        "algorithm: '"
            + name
            + "' is not one of "
            + Arrays.stream(values()).map(Algorithm::wireName).collect(Collectors.joining(" | ")));
  }
}
