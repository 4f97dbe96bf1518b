package dev.tollgate.gateway.problem;

import io.helidon.http.Status;
import java.util.Map;
import java.util.Optional;

/**
 * A failure the gateway answers itself. Each subclass fixes the HTTP status and the RFC 9457
 * problem {@code type}; the message becomes {@code detail} and must never carry internal facts
 * (endpoint addresses, exception text), because it is sent to the client verbatim.
 */
public abstract class GatewayProblemException extends RuntimeException {
  private final Status status;
  private final String type;
  private final String title;
  private transient StageHeaders stageHeaders;

  protected GatewayProblemException(Status status, String type, String title, String detail) {
    this(status, type, title, detail, null);
  }

  protected GatewayProblemException(
      Status status, String type, String title, String detail, Throwable cause) {
    super(detail, cause, false, false);
    this.status = status;
    this.type = type;
    this.title = title;
  }

  public Status status() {
    return status;
  }

  /** Short problem type slug, e.g. {@code no-route}; rendered as a URN by {@link Problem}. */
  public String type() {
    return type;
  }

  public String title() {
    return title;
  }

  /**
   * The request's headers from the stages that ran before the failure (X-Request-Id, RateLimit
   * fields), which belong on the problem too. The request handler attaches them when the problem
   * leaves it; carried here rather than in Helidon's request context, which would be built for
   * every request only for the few that fail.
   */
  public GatewayProblemException withStageHeaders(StageHeaders headers) {
    this.stageHeaders = headers;
    return this;
  }

  public Optional<StageHeaders> stageHeaders() {
    return Optional.ofNullable(stageHeaders);
  }

  /** Extra response headers (e.g. {@code Retry-After}, {@code WWW-Authenticate}). */
  public Map<String, String> headers() {
    return Map.of();
  }

  /** Extra problem members (RFC 9457 extension members). */
  public Map<String, Object> extensions() {
    return Map.of();
  }
}
