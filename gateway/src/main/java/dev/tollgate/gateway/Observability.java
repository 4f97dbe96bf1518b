package dev.tollgate.gateway;

import dev.tollgate.gateway.access.AccessLogSettings;
import dev.tollgate.gateway.access.AccessRecorder;
import dev.tollgate.gateway.pipeline.RequestLog;
import dev.tollgate.gateway.tracing.GatewayTracing;
import java.util.Map;

/**
 * What the gateway tells the outside about its requests besides metrics: traces and the access
 * log/stream. Closed with the gateway, after the last request, so queued records are written.
 */
public record Observability(GatewayTracing tracing, RequestLog requestLog)
    implements AutoCloseable {

  /**
   * Tracing from the {@code OTEL_*} variables of {@code env}, the access log and stream from the
   * settings' {@code TOLLGATE_ACCESS_*}.
   *
   * @throws IllegalArgumentException naming a setting that is invalid
   */
  public static Observability from(GatewaySettings settings, Map<String, String> env) {
    return new Observability(
        GatewayTracing.fromEnvironment(env),
        AccessRecorder.create(AccessLogSettings.from(settings.values(), settings.redis())));
  }

  @Override
  public void close() {
    if (requestLog instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        // shutting down: the recorder already counted what it could not write
      }
    }
    tracing.close();
  }
}
