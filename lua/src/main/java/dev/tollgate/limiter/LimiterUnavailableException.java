package dev.tollgate.limiter;

/**
 * The limiter could not decide: the backend failed or was too slow. Carries why, so the caller can
 * count failures by cause; it never carries a decision (none was made, or it was made too late).
 */
public final class LimiterUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why no decision was made. */
  public enum Reason {
    /** The decision took longer than its time budget. */
    TIMEOUT,
    /** Redis is not connected, or the bounded request queue is full. */
    DISCONNECTED,
    /** Redis answered with an error, or the connection failed mid-command. */
    REDIS_ERROR
  }

  private final Reason reason;

  public LimiterUnavailableException(Reason reason, String message, Throwable cause) {
    super(reason + ": " + message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
