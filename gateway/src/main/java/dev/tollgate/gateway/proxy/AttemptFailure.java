package dev.tollgate.gateway.proxy;

import dev.tollgate.api.v1alpha1.Retries.RetryOn;
import dev.tollgate.gateway.backend.RequestFault;
import dev.tollgate.gateway.backend.RetryPolicy;
import dev.tollgate.gateway.proxy.http1.HeadTooLargeException;
import dev.tollgate.gateway.proxy.http1.MalformedResponseException;
import dev.tollgate.gateway.proxy.http1.UpstreamResponse;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;

/**
 * Why one attempt at an endpoint failed, classified from what the HTTP client threw.
 *
 * @param kind the class of failure
 * @param cause what was thrown (kept for the log, never sent to the client)
 * @param response the upstream's 502/503/504 response for {@link Kind#GATEWAY_ERROR}, else null
 */
record AttemptFailure(Kind kind, Throwable cause, UpstreamResponse response) {

  enum Kind {
    /** The endpoint's circuit opened between choosing and calling it; nothing was sent. */
    CIRCUIT_OPEN,
    /** No connection could be made (refused, unknown host, connect timeout). */
    CONNECT,
    /** Connected, but the response did not arrive within the route's timeout. */
    TIMEOUT,
    /** The upstream answered 502, 503 or 504. */
    GATEWAY_ERROR,
    /** The connection broke mid-exchange. */
    BROKEN,
    /** The request's own fault ({@link RequestFault}): nothing the endpoint did. */
    REQUEST
  }

  static AttemptFailure classify(Throwable thrown) {
    if (thrown instanceof RequestFault fault) {
      return new AttemptFailure(Kind.REQUEST, fault.getCause(), null);
    }
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      if (t instanceof ConnectException
          || t instanceof NoRouteToHostException
          || t instanceof UnknownHostException) {
        return new AttemptFailure(Kind.CONNECT, thrown, null);
      }
      if (t instanceof SocketTimeoutException timeout) {
        // The JDK reports connect timeouts as SocketTimeoutException("Connect timed out").
        boolean connecting =
            timeout.getMessage() != null && timeout.getMessage().toLowerCase().contains("connect");
        return new AttemptFailure(connecting ? Kind.CONNECT : Kind.TIMEOUT, thrown, null);
      }
      if (t instanceof InterruptedIOException) {
        return new AttemptFailure(Kind.TIMEOUT, thrown, null);
      }
    }
    return new AttemptFailure(Kind.BROKEN, thrown, null);
  }

  /**
   * Whether the connection broke without a malformed answer: what a keep-alive connection the
   * upstream closed while idle looks like on first use.
   */
  boolean closedUnanswered() {
    if (kind != Kind.BROKEN) {
      return false;
    }
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof MalformedResponseException || t instanceof HeadTooLargeException) {
        return false;
      }
    }
    return true;
  }

  boolean retryableUnder(RetryPolicy policy) {
    return switch (kind) {
      case CONNECT -> policy.on().contains(RetryOn.CONNECT_FAILURE);
      case BROKEN -> policy.on().contains(RetryOn.RESET);
      case GATEWAY_ERROR -> policy.retriesStatus(response.status());
      case CIRCUIT_OPEN, TIMEOUT, REQUEST -> false;
    };
  }
}
