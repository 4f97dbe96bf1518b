package dev.tollgate.analytics.report;

/** Redis failed or timed out while a report was read; answered 503. */
public final class ReportUnavailableException extends RuntimeException {
  public ReportUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
