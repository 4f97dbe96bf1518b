package dev.tollgate.gateway.tracing;

import io.helidon.http.ClientRequestHeaders;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Headers;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The gateway's tracing. Two modes, chosen from the standard {@code OTEL_*} variables:
 *
 * <ul>
 *   <li><b>propagation only</b> (default: no {@code OTEL_TRACES_EXPORTER}, or {@code none}, or
 *       {@code OTEL_SDK_DISABLED=true}): no span is recorded; a client's {@code traceparent} and
 *       {@code tracestate} are passed to the upstream unchanged, and its trace id is logged. This
 *       costs a header lookup per request.
 *   <li><b>exporting</b> ({@code OTEL_TRACES_EXPORTER=otlp}, endpoint, sampler, resource and the
 *       rest from {@code OTEL_*} as the SDK's autoconfigure reads them): spans for the request
 *       (server), the rate-limit decision and each upstream attempt (client), whose context goes
 *       upstream as {@code traceparent}.
 * </ul>
 */
public final class GatewayTracing implements AutoCloseable {
  private static final AttributeKey<String> ROUTE = AttributeKey.stringKey("http.route");
  private static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
  private static final AttributeKey<Long> STATUS =
      AttributeKey.longKey("http.response.status_code");
  private static final AttributeKey<String> SERVER = AttributeKey.stringKey("server.address");
  private static final AttributeKey<Long> PORT = AttributeKey.longKey("server.port");

  private static final HeaderName TRACEPARENT = HeaderNames.create("traceparent");
  private static final HeaderName TRACESTATE = HeaderNames.create("tracestate");
  private static final TextMapGetter<Headers> FROM_HEADERS =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers headers) {
          return List.of("traceparent", "tracestate");
        }

        @Override
        public String get(Headers headers, String key) {
          if (headers == null) {
            return null;
          }
          // names made once: HeaderNames.create lower-cases and looks up on every call
          HeaderName name =
              switch (key) {
                case "traceparent" -> TRACEPARENT;
                case "tracestate" -> TRACESTATE;
                default -> HeaderNames.create(key);
              };
          return headers.first(name).orElse(null);
        }
      };

  private final Tracer tracer;
  private final TextMapPropagator propagator;
  private final AutoCloseable sdk;

  private GatewayTracing(OpenTelemetry openTelemetry, AutoCloseable sdk) {
    this.tracer = openTelemetry.getTracer("dev.tollgate.gateway");
    this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
    this.sdk = sdk;
  }

  /** Tracing as the {@code OTEL_*} variables in {@code env} configure it (see the class doc). */
  public static GatewayTracing fromEnvironment(Map<String, String> env) {
    String exporter = env.getOrDefault("OTEL_TRACES_EXPORTER", "none").strip();
    boolean disabled = "true".equalsIgnoreCase(env.getOrDefault("OTEL_SDK_DISABLED", "false"));
    if (disabled || exporter.isEmpty() || exporter.toLowerCase(Locale.ROOT).equals("none")) {
      return propagationOnly();
    }
    OpenTelemetrySdk sdk =
        AutoConfiguredOpenTelemetrySdk.builder()
            // defaults the variables override: only traces are exported, by this service's name
            .addPropertiesSupplier(
                () ->
                    Map.of(
                        "otel.service.name", "tollgate-gateway",
                        "otel.metrics.exporter", "none",
                        "otel.logs.exporter", "none"))
            .disableShutdownHook()
            .build()
            .getOpenTelemetrySdk();
    return new GatewayTracing(sdk, sdk);
  }

  /** No spans; W3C context passed through as it came. */
  public static GatewayTracing propagationOnly() {
    return new GatewayTracing(
        OpenTelemetry.propagating(
            ContextPropagators.create(W3CTraceContextPropagator.getInstance())),
        () -> {});
  }

  /** Tracing with a given OpenTelemetry (tests: an SDK with an in-memory exporter). */
  public static GatewayTracing of(OpenTelemetry openTelemetry) {
    return new GatewayTracing(openTelemetry, () -> {});
  }

  /**
   * The request's server span, child of the client's {@code traceparent} when it sent one. In
   * propagation-only mode this is the client's context itself (or the invalid span), not recorded.
   */
  public Span serverSpan(Headers requestHeaders, String method) {
    Context parent = propagator.extract(Context.root(), requestHeaders, FROM_HEADERS);
    Span span =
        tracer.spanBuilder(method).setParent(parent).setSpanKind(SpanKind.SERVER).startSpan();
    if (span.isRecording()) {
      span.setAttribute(METHOD, method);
    }
    return span;
  }

  /** Names the server span after its route and ends it with the response status. */
  public void endServerSpan(Span span, String method, String route, int status) {
    if (span.isRecording()) {
      if (route != null) {
        span.updateName(method + " " + route);
        span.setAttribute(ROUTE, route);
      }
      span.setAttribute(STATUS, (long) status);
      if (status >= 500) {
        span.setStatus(StatusCode.ERROR);
      }
    }
    span.end();
  }

  /** A span inside the request (e.g. the rate-limit decision). */
  public Span internalSpan(Span parent, String name) {
    if (!parent.isRecording()) {
      return parent;
    }
    return tracer
        .spanBuilder(name)
        .setParent(Context.root().with(parent))
        .setSpanKind(SpanKind.INTERNAL)
        .startSpan();
  }

  /**
   * A span for one upstream attempt; {@link #inject} puts its context on the upstream request. When
   * the request is not recorded this is the request's own span (its context passes upstream as it
   * came), so nothing is allocated.
   */
  public Span upstreamSpan(Span parent, URI endpoint) {
    if (!parent.isRecording()) {
      return parent;
    }
    Span span =
        tracer
            .spanBuilder("upstream")
            .setParent(Context.root().with(parent))
            .setSpanKind(SpanKind.CLIENT)
            .startSpan();
    if (span.isRecording()) {
      span.setAttribute(SERVER, endpoint.getHost());
      span.setAttribute(PORT, (long) endpoint.getPort());
    }
    return span;
  }

  /** Ends an upstream attempt's span with its status (0 when no response came). */
  public void endUpstreamSpan(Span parent, Span span, int status) {
    if (span == parent) {
      return; // not recorded: see upstreamSpan
    }
    if (span.isRecording()) {
      if (status > 0) {
        span.setAttribute(STATUS, (long) status);
      }
      if (status == 0 || status >= 500) {
        span.setStatus(StatusCode.ERROR);
      }
    }
    span.end();
  }

  /**
   * Sets {@code traceparent} (and {@code tracestate}) for the upstream from {@code span}, replacing
   * what the client sent; with no valid context nothing is set and the client's headers pass.
   */
  public void inject(Span span, ClientRequestHeaders headers) {
    if (!span.getSpanContext().isValid()) {
      return;
    }
    propagator.inject(
        Context.root().with(span),
        headers,
        (carrier, key, value) -> carrier.set(HeaderValues.create(key, value)));
  }

  /** The trace id to log: 32 hex characters, or empty when the request is not traced. */
  public static String traceId(Span span) {
    return span.getSpanContext().isValid() ? span.getSpanContext().getTraceId() : "";
  }

  /** Flushes and stops the exporter (exporting mode). */
  @Override
  public void close() {
    try {
      sdk.close();
    } catch (Exception e) {
      // shutting down: nothing left to report it to
    }
  }
}
