package dev.tollgate.limiter.redis;

import dev.tollgate.limiter.LimitOutcome;
import io.lettuce.core.RedisException;
import java.util.List;

/**
 * What decide.lua answered for one request of a batch: its outcomes, or the error of the Redis
 * command that failed it alone (the batch's other requests were decided).
 */
record CallReply(List<LimitOutcome> outcomes, String error) {
  static CallReply decided(List<LimitOutcome> outcomes) {
    return new CallReply(outcomes, null);
  }

  static CallReply failed(String error) {
    return new CallReply(List.of(), error);
  }

  /**
   * @throws RedisException when the request failed in Redis
   */
  List<LimitOutcome> orThrow() {
    if (error != null) {
      throw new RedisException(error);
    }
    return outcomes;
  }
}
