package dev.tollgate.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.gateway.Observability;
import dev.tollgate.gateway.pipeline.RequestLog;
import dev.tollgate.gateway.tracing.GatewayTracing;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * W3C trace context through the gateway, with the OpenTelemetry SDK's in-memory exporter: the
 * client's {@code traceparent} is the parent of the request's server span; the rate-limit decision
 * and the upstream call are its children; the upstream receives the upstream span's context; and
 * without an exporter the client's context still reaches the upstream unchanged.
 */
class TracePropagationIT extends PolicyItBase {
  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String CLIENT_SPAN = "00f067aa0ba902b7";
  private static final String TRACEPARENT = "00-" + TRACE_ID + "-" + CLIENT_SPAN + "-01";
  private static final Pattern UPSTREAM_TRACEPARENT =
      Pattern.compile("header traceparent: 00-([0-9a-f]{32})-([0-9a-f]{16})-01");

  private static String config() {
    return PolicyYaml.ordersLimitedByClientIp(
        upstream.url(), "steady", "algorithm: token-bucket\nrate: {requests: 1000, period: 1m}");
  }

  @Test
  void clientContextIsTheParentAndTheUpstreamGetsTheUpstreamSpansContext() {
    InMemorySpanExporter spans = InMemorySpanExporter.create();
    OpenTelemetrySdk sdk =
        OpenTelemetrySdk.builder()
            .setTracerProvider(
                SdkTracerProvider.builder()
                    .addSpanProcessor(SimpleSpanProcessor.create(spans))
                    .build())
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
            .build();
    PolicyGateway gateway =
        gateway(config(), new Observability(GatewayTracing.of(sdk), RequestLog.NONE));

    HttpResponse<String> response =
        gateway.get("/orders/7", "traceparent", TRACEPARENT, "tracestate", "vendor=x");

    assertThat(response.statusCode()).isEqualTo(200);
    await().until(() -> spans.getFinishedSpanItems().size() == 3);
    Map<String, SpanData> byName =
        spans.getFinishedSpanItems().stream()
            .collect(java.util.stream.Collectors.toMap(SpanData::getName, s -> s));
    SpanData server = byName.get("GET shop/orders");
    SpanData decision = byName.get("rate-limit decision");
    SpanData upstreamCall = byName.get("upstream");
    assertThat(List.of(server, decision, upstreamCall))
        .allSatisfy(span -> assertThat(span.getTraceId()).isEqualTo(TRACE_ID));
    assertThat(server.getKind()).isEqualTo(SpanKind.SERVER);
    assertThat(server.getParentSpanId()).isEqualTo(CLIENT_SPAN);
    assertThat(decision.getParentSpanId()).isEqualTo(server.getSpanId());
    assertThat(upstreamCall.getKind()).isEqualTo(SpanKind.CLIENT);
    assertThat(upstreamCall.getParentSpanId()).isEqualTo(server.getSpanId());
    assertThat(
            server
                .getAttributes()
                .get(io.opentelemetry.api.common.AttributeKey.longKey("http.response.status_code")))
        .isEqualTo(200L);

    Matcher sent = UPSTREAM_TRACEPARENT.matcher(response.body());
    assertThat(sent.find()).as(response.body()).isTrue();
    assertThat(sent.group(1)).isEqualTo(TRACE_ID);
    assertThat(sent.group(2)).isEqualTo(upstreamCall.getSpanId());
    assertThat(response.body()).contains("header tracestate: vendor=x");
    sdk.close();
  }

  @Test
  void withoutAnExporterTheClientsContextReachesTheUpstreamUnchanged() {
    PolicyGateway gateway =
        gateway(config(), new Observability(GatewayTracing.propagationOnly(), RequestLog.NONE));

    HttpResponse<String> traced = gateway.get("/orders/7", "traceparent", TRACEPARENT);
    HttpResponse<String> untraced = gateway.get("/orders/7");

    assertThat(traced.body()).contains("header traceparent: " + TRACEPARENT);
    assertThat(untraced.body()).doesNotContain("traceparent");
  }
}
