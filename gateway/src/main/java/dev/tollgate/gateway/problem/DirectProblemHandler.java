package dev.tollgate.gateway.problem;

import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import io.helidon.webserver.http.DirectHandlers;
import java.util.Map;

/**
 * Answers requests that Helidon refuses before any routing (unparseable request line, invalid or
 * oversized headers, bad Host) with problem+json as well, instead of Helidon's empty body. The
 * parser's message is not echoed: it may quote attacker-controlled bytes. The connection is closed,
 * because after a framing error its remaining bytes cannot be trusted.
 */
public final class DirectProblemHandler implements DirectHandler {
  /**
   * Helidon's HTTP/1 parser raises a header block over the limit as a 400 with this message (its
   * own constant, never the client's bytes); RFC 6585 has 431 for it, which clients act on by
   * sending fewer or smaller headers rather than the same request again.
   */
  private static final String HEADERS_TOO_LARGE = "Header size exceeded";

  /** The handlers for every event type the HTTP/1 parser raises. */
  public static DirectHandlers all() {
    DirectProblemHandler handler = new DirectProblemHandler();
    DirectHandlers.Builder builder = DirectHandlers.builder();
    for (EventType type : EventType.values()) {
      builder.addHandler(type, handler);
    }
    return builder.build();
  }

  @Override
  public TransportResponse handle(
      TransportRequest request,
      EventType eventType,
      Status status,
      ServerResponseHeaders headers,
      String message) {
    if (isConnectionCap(eventType, status)) {
      return answer(new GatewayProblems.Overloaded(), headers);
    }
    if (eventType == EventType.BAD_REQUEST && HEADERS_TOO_LARGE.equals(message)) {
      return answer(new GatewayProblems.HeaderListTooLarge(), headers);
    }
    Problem problem =
        new Problem(
            Problem.TYPE_PREFIX + slug(eventType, status),
            status.reasonPhrase(),
            status.code(),
            detail(eventType, status),
            Map.of());
    return closing(status, problem, headers).build();
  }

  /**
   * Helidon's own 503 comes only from a request limit, and the public port's only request limit is
   * the one refusing connections over {@code TOLLGATE_MAX_CONNECTIONS} (the in-flight cap is the
   * gateway's own, answered through the routing's error handler).
   */
  private static boolean isConnectionCap(EventType eventType, Status status) {
    return eventType == EventType.OTHER && status.code() == 503;
  }

  /** One of the gateway's own problems, with its headers, and the connection closed. */
  private static TransportResponse answer(
      GatewayProblemException problem, ServerResponseHeaders headers) {
    TransportResponse.Builder response = closing(problem.status(), Problem.of(problem), headers);
    problem.headers().forEach((name, value) -> response.header(HeaderNames.create(name), value));
    return response.build();
  }

  /** {@code problem} as problem+json, never cached, and the connection closed. */
  private static TransportResponse.Builder closing(
      Status status, Problem problem, ServerResponseHeaders headers) {
    return TransportResponse.builder()
        .status(status)
        .headers(headers)
        .header(HeaderNames.CONTENT_TYPE, Problem.MEDIA_TYPE)
        .header(HeaderNames.CACHE_CONTROL, "no-store")
        .keepAlive(false)
        .entity(problem.toJson());
  }

  private static String slug(EventType type, Status status) {
    if (status.code() == 413) {
      return "payload-too-large"; // Helidon raises an oversized body as a BAD_REQUEST event
    }
    return switch (type) {
      case PAYLOAD_TOO_LARGE -> "payload-too-large";
      case HTTP_VERSION_NOT_SUPPORTED -> "http-version-not-supported";
      case INTERNAL_ERROR, OTHER -> "internal";
      case FORBIDDEN -> "forbidden";
      case BAD_REQUEST -> "bad-request";
    };
  }

  private static String detail(EventType type, Status status) {
    if (status.code() == 413) {
      return "The request is too large.";
    }
    return switch (type) {
      case BAD_REQUEST -> "The request could not be parsed.";
      case PAYLOAD_TOO_LARGE -> "The request is too large.";
      case HTTP_VERSION_NOT_SUPPORTED -> "This HTTP version is not supported.";
      case FORBIDDEN -> "The request is not allowed.";
      case INTERNAL_ERROR, OTHER -> "The gateway failed to handle this request.";
    };
  }
}
