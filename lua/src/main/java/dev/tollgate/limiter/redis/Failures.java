package dev.tollgate.limiter.redis;

import dev.tollgate.limiter.LimiterUnavailableException;
import dev.tollgate.limiter.LimiterUnavailableException.Reason;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeoutException;

/**
 * Turns whatever Lettuce, the limiter's own sockets ({@link DirectScriptRunner}) or the time budget
 * threw into the engine's one failure type.
 */
final class Failures {
  // Lettuce signals these two with a plain RedisException; only the message tells them apart.
  private static final String NOT_CONNECTED = "Currently not connected";
  private static final String QUEUE_FULL = "Request queue size exceeded";

  private Failures() {}

  static LimiterUnavailableException translate(Throwable failure) {
    Throwable cause = ScriptRunner.unwrap(failure);
    if (cause instanceof LimiterUnavailableException known) {
      return known;
    }
    String message = String.valueOf(cause.getMessage());
    if (cause instanceof TimeoutException
        || cause instanceof RedisCommandTimeoutException
        || cause instanceof SocketTimeoutException) {
      return new LimiterUnavailableException(
          Reason.TIMEOUT, "no decision within the time budget", cause);
    }
    // an own socket's failure (refused, reset, or a reply that is not RESP) leaves it unusable
    if (cause instanceof RedisConnectionException
        || cause instanceof IOException
        || message.startsWith(NOT_CONNECTED)
        || message.startsWith(QUEUE_FULL)) {
      return new LimiterUnavailableException(Reason.DISCONNECTED, message, cause);
    }
    return new LimiterUnavailableException(Reason.REDIS_ERROR, message, cause);
  }
}
