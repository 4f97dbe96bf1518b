package dev.tollgate.gateway.problem;

import io.helidon.http.Status;
import java.util.Map;

/** The problems the data plane itself raises; policy stages add their own subclasses. */
public final class GatewayProblems {
  private GatewayProblems() {}

  /** 404: no route matches host, path and method. */
  public static final class NoRoute extends GatewayProblemException {
    public NoRoute() {
      super(Status.NOT_FOUND_404, "no-route", "No route", "No route matches this request.");
    }
  }

  /** 400: the request target is ambiguous or malformed (encoded slash, double encoding, ...). */
  public static final class BadPath extends GatewayProblemException {
    public BadPath(String detail) {
      super(Status.BAD_REQUEST_400, "bad-request-target", "Bad request target", detail);
    }
  }

  /** 502: no connection to the upstream could be made, or it broke before a response. */
  public static final class UpstreamUnreachable extends GatewayProblemException {
    public UpstreamUnreachable(Throwable cause) {
      super(
          Status.BAD_GATEWAY_502,
          "upstream-unreachable",
          "Bad gateway",
          "The upstream could not be reached.",
          cause);
    }
  }

  /** 503: every endpoint of the route is ejected (circuit open) or the route has none. */
  public static final class NoHealthyEndpoint extends GatewayProblemException {
    public NoHealthyEndpoint() {
      super(
          Status.SERVICE_UNAVAILABLE_503,
          "no-healthy-endpoint",
          "Service unavailable",
          "No healthy upstream endpoint is available.");
    }
  }

  /** 503: the gateway has no configuration yet (not ready). */
  public static final class NotReady extends GatewayProblemException {
    public NotReady() {
      super(
          Status.SERVICE_UNAVAILABLE_503,
          "not-ready",
          "Service unavailable",
          "The gateway has not loaded its configuration yet.");
    }
  }

  /** 503: the gateway is handling as many requests as it may ({@code TOLLGATE_MAX_*}). */
  public static final class Overloaded extends GatewayProblemException {
    public Overloaded() {
      super(
          Status.SERVICE_UNAVAILABLE_503,
          "overloaded",
          "Service unavailable",
          "The gateway is handling as many requests as it may; retry shortly.");
    }

    @Override
    public Map<String, String> headers() {
      return Map.of("Retry-After", "1");
    }
  }

  /**
   * 431: an HTTP/2 request's header list, uncompressed, or an HTTP/1 request's header block exceeds
   * {@code TOLLGATE_MAX_HEADER_SIZE}.
   */
  public static final class HeaderListTooLarge extends GatewayProblemException {
    public HeaderListTooLarge() {
      super(
          Status.create(431, "Request Header Fields Too Large"),
          "bad-request",
          "Request Header Fields Too Large",
          "The request headers are too large.");
    }
  }

  /**
   * 408: an HTTP/2 request body stalled past {@code TOLLGATE_CLIENT_BODY_TIMEOUT}; answered on its
   * stream (HTTP/1 gets the same problem written straight to the socket, see {@code
   * edge.TimeoutPhase}).
   */
  public static final class BodyTimeout extends GatewayProblemException {
    public BodyTimeout() {
      super(
          Status.REQUEST_TIMEOUT_408,
          "request-timeout",
          "Request timeout",
          "The request body stalled.");
    }
  }

  /**
   * 400: the request holds what an HTTP/1.1 request to the upstream cannot carry (a header name
   * that is not a token, a control character, whitespace in the target). HTTP/1 clients are held to
   * this by the server's parser already; HTTP/2's framing lets such fields through.
   */
  public static final class UnforwardableRequest extends GatewayProblemException {
    public UnforwardableRequest(Throwable cause) {
      super(
          Status.BAD_REQUEST_400,
          "bad-request",
          "Bad request",
          "The request cannot be forwarded: " + cause.getMessage() + ".",
          cause);
    }
  }

  /**
   * 400: the client's request body could not be read to its end (the client went away or broke the
   * body's framing); when its body deadline passed instead, the client gets 408.
   */
  public static final class RequestBodyFailed extends GatewayProblemException {
    public RequestBodyFailed(Throwable cause) {
      super(
          Status.BAD_REQUEST_400,
          "bad-request",
          "Bad request",
          "The request body could not be read.",
          cause);
    }
  }

  /**
   * 400: an HTTP/2 request declares a {@code Content-Length} its stream carries no body for (RFC
   * 9113 8.1.1: malformed). Forwarded, the length would make the upstream read the next request on
   * the pooled connection as this one's body.
   */
  public static final class MissingBody extends GatewayProblemException {
    public MissingBody(long declared) {
      super(
          Status.BAD_REQUEST_400,
          "bad-request",
          "Bad request",
          "Content-Length is " + declared + " but the request has no body.");
    }
  }

  /** 400: a header name contains '_' and {@code TOLLGATE_UNDERSCORE_HEADERS=refuse}. */
  public static final class UnderscoreHeader extends GatewayProblemException {
    public UnderscoreHeader() {
      super(
          Status.BAD_REQUEST_400,
          "bad-request",
          "Bad request",
          "Header names containing '_' are not accepted.");
    }
  }

  /** 504: the upstream did not answer within the route's timeout. */
  public static final class UpstreamTimeout extends GatewayProblemException {
    public UpstreamTimeout(Throwable cause) {
      super(
          Status.GATEWAY_TIMEOUT_504,
          "upstream-timeout",
          "Gateway timeout",
          "The upstream did not answer in time.",
          cause);
    }
  }

  /**
   * 500: the backend chosen for this request cannot be used (an HTTPRoute backendRef to a missing
   * Service, or one no ReferenceGrant allows), as the Gateway API specifies.
   */
  public static final class InvalidBackend extends GatewayProblemException {
    public InvalidBackend() {
      super(
          Status.INTERNAL_SERVER_ERROR_500,
          "invalid-backend",
          "Internal server error",
          "The route's backend for this request is not available.");
    }
  }
}
