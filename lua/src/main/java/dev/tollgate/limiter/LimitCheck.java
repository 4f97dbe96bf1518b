package dev.tollgate.limiter;

import java.util.Objects;

/**
 * One limit applied to one client: the definition plus the client's key value (for example {@code
 * "sub=alice"}, or {@code ""} for one shared bucket). The key value comes from the client and is
 * never put into a Redis key as it is: {@code RedisKeys} hashes it.
 */
public record LimitCheck(LimitDefinition limit, String keyValue) {
  public LimitCheck {
    Objects.requireNonNull(limit, "limit: must be set");
    Objects.requireNonNull(keyValue, "keyValue: must be set (use \"\" for one shared bucket)");
  }
}
