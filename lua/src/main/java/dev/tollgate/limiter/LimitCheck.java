package dev.tollgate.limiter;

import java.util.Objects;

/**
 * One limit applied to one client: the definition, the client's key value (for example {@code
 * "sub=alice"}, or {@code ""} for one shared bucket) and what this request costs in this limit.
 * Limits of one request may cost differently and are still decided together, all or nothing. The
 * key value comes from the client and is never put into a Redis key as it is: {@code RedisKeys}
 * hashes it.
 *
 * @param cost units this request consumes from this limit, at least 1; a cost above the limit's
 *     capacity is never admitted and consumes nothing (a way to read a limit's figures)
 */
public record LimitCheck(LimitDefinition limit, String keyValue, long cost) {
  public LimitCheck {
    Objects.requireNonNull(limit, "limit: must be set");
    Objects.requireNonNull(keyValue, "keyValue: must be set (use \"\" for one shared bucket)");
    if (cost < 1) {
      throw new IllegalArgumentException("cost: " + cost + " must be at least 1");
    }
  }

  /** A check costing one unit. */
  public LimitCheck(LimitDefinition limit, String keyValue) {
    this(limit, keyValue, 1);
  }
}
