package dev.tollgate.limiter;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The five algorithms, named as in {@code RateLimitPolicy.spec.limits[].algorithm}. */
public enum Algorithm {
  TOKEN_BUCKET("token-bucket", true),
  GCRA("gcra", true),
  SLIDING_WINDOW("sliding-window", false),
  SLIDING_LOG("sliding-log", false),
  FIXED_WINDOW("fixed-window", false);

  private final String wireName;
  private final boolean usesBurst;

  Algorithm(String wireName, boolean usesBurst) {
    this.wireName = wireName;
    this.usesBurst = usesBurst;
  }

  /** The name in policies, Redis keys and the Lua dispatch table. */
  public String wireName() {
    return wireName;
  }

  /**
   * Whether {@code burst} sets the capacity; window algorithms admit {@code requests} per window.
   */
  public boolean usesBurst() {
    return usesBurst;
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
