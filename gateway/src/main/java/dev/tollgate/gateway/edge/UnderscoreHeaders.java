package dev.tollgate.gateway.edge;

/**
 * What happens to request header names containing {@code _} ({@code TOLLGATE_UNDERSCORE_HEADERS}).
 * CGI, WSGI, Rack and PHP map both {@code -} and {@code _} to {@code _}, so an upstream behind them
 * reads a client's {@code X_Forwarded_For} as if it were the gateway's {@code X-Forwarded-For}.
 * nginx drops such names by default for the same reason ({@code underscores_in_headers off}).
 */
public enum UnderscoreHeaders {
  /** Removed before the request goes upstream (the default). */
  DROP,
  /** The request is answered 400 {@code bad-request}. */
  REFUSE,
  /**
   * Passed upstream, except names that read as one of the gateway's own once {@code _} is taken for
   * {@code -} ({@code X_Forwarded_For}, {@code X_Tollgate_*}, {@code X_Real_IP}, ...).
   */
  ALLOW
}
