package dev.tollgate.limiter.redis;

import java.util.concurrent.TimeoutException;

/**
 * A batch that did not reach Redis because a caller in it had given up before it could be written
 * (its socket opened late, or Redis had lost the script and loading it again took the time).
 * Nothing of it was charged, so the {@link Batcher} sends again those members whose callers still
 * wait, and fails only the others.
 */
final class BatchNotSentException extends TimeoutException {
  private static final long serialVersionUID = 1L;

  private BatchNotSentException(String message) {
    super(message);
  }

  static BatchNotSentException socketOpenedLate() {
    return new BatchNotSentException("a socket to Redis opened only after the decision budget");
  }

  static BatchNotSentException scriptLoadedLate() {
    return new BatchNotSentException("the script was loaded again only after the decision budget");
  }
}
