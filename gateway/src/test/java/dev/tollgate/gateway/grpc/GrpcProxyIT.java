package dev.tollgate.gateway.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.rpc.RetryInfo;
import dev.tollgate.gateway.support.GatewayFixture;
import dev.tollgate.gateway.support.GrpcUpstream;
import dev.tollgate.gateway.support.Routes;
import dev.tollgate.testkit.FreePort;
import io.grpc.CallOptions;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * gRPC through a real gateway: a grpc-java client speaking h2c with prior knowledge to the gateway,
 * which relays to a real grpc-java server over h2c. Covers the four call kinds, metadata and
 * trailers both ways, the upstream's error status, and the statuses the gateway makes itself.
 */
class GrpcProxyIT {
  private static final MethodDescriptor<String, String> LIMITED =
      rename(GrpcUpstream.UNARY, "test.Limited/Unary");
  private static final MethodDescriptor<String, String> SECURE =
      rename(GrpcUpstream.UNARY, "test.Secure/Unary");
  private static final MethodDescriptor<String, String> DOWN =
      rename(GrpcUpstream.UNARY, "test.Down/Unary");
  private static final MethodDescriptor<String, String> SHORT =
      rename(GrpcUpstream.HANG, "test.Short/Hang");
  private static final MethodDescriptor<String, String> PLAIN =
      rename(GrpcUpstream.UNARY, "test.Plain/Unary");

  private static GrpcUpstream upstream;
  private static GatewayFixture gateway;
  private static ManagedChannel channel;

  @BeforeAll
  static void start() {
    upstream = GrpcUpstream.start();
    String h2c = upstream.url();
    String nobody = "http://127.0.0.1:" + FreePort.pick();
    gateway =
        GatewayFixture.startWithPolicies(
            route("echo", "/test.Echo/", h2c, "h2c", "10s", "none")
                + route("limited", "/test.Limited/", h2c, "h2c", "10s", "none")
                + route("secure", "/test.Secure/", h2c, "h2c", "10s", "required")
                + route("down", "/test.Down/", nobody, "h2c", "10s", "none")
                + route("short", "/test.Short/", h2c, "h2c", "500ms", "none")
                + route("plain", "/test.Plain/", h2c, "http/1.1", "10s", "none")
                + """
                ---
                apiVersion: tollgate.dev/v1alpha1
                kind: RateLimitPolicy
                metadata: {name: one-a-minute, namespace: test}
                spec:
                  targetRefs: [{kind: Route, name: limited}]
                  limits:
                    - name: per-minute
                      algorithm: fixed-window
                      rate: {requests: 1, period: 1m}
                """,
            Map.of());
    channel =
        NettyChannelBuilder.forAddress("127.0.0.1", gateway.port())
            .usePlaintext() // h2c with prior knowledge
            .build();
  }

  /** A route whose path prefix is a service, rewritten to test.Echo where it names another. */
  private static String route(
      String name, String prefix, String endpoint, String protocol, String timeout, String jwt) {
    String rewrite = prefix.equals("/test.Echo/") ? "" : "rewrite: {replacePrefix: /test.Echo/}\n";
    return Routes.route(
        name,
        """
        match: {pathPrefix: %s}
        %sbackend:
          endpoints: [%s]
          protocol: %s
          timeout: %s
        auth: {jwt: %s}
        """
            .formatted(prefix, rewrite, endpoint, protocol, timeout, jwt));
  }

  @AfterAll
  static void stop() {
    GrpcUpstream.stopAll(channel, gateway, upstream);
  }

  @Test
  void unaryCallCarriesMetadataBothWays() {
    Metadata sent = new Metadata();
    sent.put(GrpcUpstream.CUSTOM, "c1");
    sent.put(GrpcUpstream.SUBJECT, "forged");
    AtomicReference<Metadata> headers = new AtomicReference<>();
    AtomicReference<Metadata> trailers = new AtomicReference<>();
    String reply =
        ClientCalls.blockingUnaryCall(
            ClientInterceptors.intercept(
                channel,
                MetadataUtils.newAttachHeadersInterceptor(sent),
                MetadataUtils.newCaptureMetadataInterceptor(headers, trailers)),
            GrpcUpstream.UNARY,
            CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS),
            "hello");

    // the client's own metadata arrives; a forged identity header does not; XFF is the gateway's
    assertThat(reply).isEqualTo("hello|custom=c1|subject=null|xff=127.0.0.1");
    assertThat(headers.get().get(GrpcUpstream.UPSTREAM_HEADER)).isEqualTo("echo");
    assertThat(headers.get().get(GrpcUpstream.ascii("x-request-id"))).isNotBlank();
    assertThat(trailers.get().get(GrpcUpstream.UPSTREAM_TRAILER)).isEqualTo("done");
  }

  @Test
  void serverStreamingDeliversEveryMessage() {
    Iterator<String> replies =
        ClientCalls.blockingServerStreamingCall(
            channel,
            GrpcUpstream.COUNT,
            CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS),
            "5");
    List<String> all = new ArrayList<>();
    replies.forEachRemaining(all::add);
    assertThat(all).containsExactly("n1", "n2", "n3", "n4", "n5");
  }

  @Test
  void clientStreamingSendsEveryMessage() throws Exception {
    CompletableFuture<String> result = new CompletableFuture<>();
    StreamObserver<String> requests =
        ClientCalls.asyncClientStreamingCall(
            channel.newCall(
                GrpcUpstream.JOIN, CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS)),
            completing(result));
    for (int i = 1; i <= 4; i++) {
      requests.onNext("m" + i);
    }
    requests.onCompleted();
    assertThat(result.get(20, TimeUnit.SECONDS)).isEqualTo("m1,m2,m3,m4");
  }

  /** Ping-pong: each answer arrives while the client's stream is still open. */
  @Test
  void bidirectionalStreamingAnswersEachMessageAsItComes() throws Exception {
    java.util.concurrent.BlockingQueue<String> received =
        new java.util.concurrent.LinkedBlockingQueue<>();
    CompletableFuture<Void> done = new CompletableFuture<>();
    StreamObserver<String> requests =
        ClientCalls.asyncBidiStreamingCall(
            channel.newCall(
                GrpcUpstream.CHAT, CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS)),
            new StreamObserver<>() {
              @Override
              public void onNext(String value) {
                received.add(value);
              }

              @Override
              public void onError(Throwable t) {
                done.completeExceptionally(t);
              }

              @Override
              public void onCompleted() {
                done.complete(null);
              }
            });
    for (String ping : List.of("a", "b", "c")) {
      requests.onNext(ping);
      assertThat(received.poll(20, TimeUnit.SECONDS)).isEqualTo("re:" + ping);
    }
    requests.onCompleted();
    done.get(20, TimeUnit.SECONDS);
  }

  @Test
  void upstreamErrorStatusMessageAndTrailersAreRelayed() {
    StatusRuntimeException e = failure(GrpcUpstream.FAIL, "42");
    assertThat(e.getStatus().getCode())
        .as(String.valueOf(e.getStatus()))
        .isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(e.getStatus().getDescription()).isEqualTo("order 42 is closed");
    assertThat(e.getTrailers().get(GrpcUpstream.REASON_BIN)).containsExactly(0, 1, 2, (byte) 0xff);
    assertThat(e.getTrailers().get(GrpcUpstream.UPSTREAM_TRAILER)).isEqualTo("done");
  }

  /** A limit counts a call once, however many messages it carries. */
  @Test
  void exhaustedLimitIsResourceExhaustedWithRetryInfo() throws Exception {
    CompletableFuture<String> joined = new CompletableFuture<>();
    StreamObserver<String> requests =
        ClientCalls.asyncClientStreamingCall(
            channel.newCall(
                rename(GrpcUpstream.JOIN, "test.Limited/Join"),
                CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS)),
            completing(joined));
    requests.onNext("1");
    requests.onNext("2");
    requests.onNext("3");
    requests.onCompleted();
    assertThat(joined.get(20, TimeUnit.SECONDS)).isEqualTo("1,2,3");
    StatusRuntimeException e = failure(LIMITED, "second call");

    assertThat(e.getStatus().getCode())
        .as(String.valueOf(e.getStatus()))
        .isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    Metadata trailers = e.getTrailers();
    long retryAfter = Long.parseLong(trailers.get(GrpcUpstream.ascii("retry-after")));
    assertThat(retryAfter).isBetween(1L, 60L);
    com.google.rpc.Status details = StatusProto.fromThrowable(e);
    assertThat(details).isNotNull();
    assertThat(details.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED.value());
    RetryInfo retry = details.getDetails(0).unpack(RetryInfo.class);
    assertThat(retry.getRetryDelay().getSeconds()).isEqualTo(retryAfter);
    assertThat(trailers.get(GrpcUpstream.ascii("ratelimit"))).startsWith("\"per-minute\";r=0");
  }

  /**
   * On a connection of its own: the refusal ends the call while the client still sends the rest of
   * its message, and Helidon 4.3.0 may answer those DATA frames with a GOAWAY for the whole
   * connection (docs/grpc.md, limits), which would end the other tests' calls on a shared channel.
   */
  @Test
  void aMessageOverTheSizeLimitIsRefused() {
    ManagedChannel own =
        NettyChannelBuilder.forAddress("127.0.0.1", gateway.port()).usePlaintext().build();
    StatusRuntimeException e;
    try {
      e = failure(own, GrpcUpstream.UNARY, "x".repeat(5 * 1024 * 1024));
    } finally {
      own.shutdownNow();
    }
    assertThat(e.getStatus().getCode())
        .as(String.valueOf(e.getStatus()))
        .isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(e.getStatus().getDescription())
        .isEqualTo("request message of 5242880 bytes exceeds the limit of 4194304");
  }

  /**
   * A request of exactly the limit passes the gateway and the upstream; the echo adds a few bytes,
   * so the answer is over 4 MiB and the gateway's channel refuses it. The client allows 16 MiB, so
   * the status is the gateway's, not its own limit's.
   */
  @Test
  void aResponseMessageOverTheSizeLimitIsResourceExhausted() {
    ManagedChannel own =
        NettyChannelBuilder.forAddress("127.0.0.1", gateway.port())
            .usePlaintext()
            .maxInboundMessageSize(16 * 1024 * 1024)
            .build();
    StatusRuntimeException e;
    try {
      e = failure(own, GrpcUpstream.UNARY, "x".repeat(GrpcChannels.MAX_MESSAGE_BYTES));
    } finally {
      own.shutdownNow();
    }
    assertThat(e.getStatus().getCode())
        .as(String.valueOf(e.getStatus()))
        .isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(e.getStatus().getDescription()).doesNotContain("127.0.0.1");
  }

  @Test
  void missingTokenIsUnauthenticated() {
    StatusRuntimeException e = failure(SECURE, "x");
    assertThat(e.getStatus().getCode())
        .as(String.valueOf(e.getStatus()))
        .isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(e.getTrailers().get(GrpcUpstream.ascii("www-authenticate"))).startsWith("Bearer");
  }

  @Test
  void clientDeadlineEndsTheCallAsDeadlineExceeded() {
    StatusRuntimeException e =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                ClientCalls.blockingUnaryCall(
                    channel,
                    GrpcUpstream.HANG,
                    CallOptions.DEFAULT.withDeadlineAfter(300, TimeUnit.MILLISECONDS),
                    "x"));
    assertThat(e.getStatus().getCode())
        .as(String.valueOf(e.getStatus()))
        .isEqualTo(Status.Code.DEADLINE_EXCEEDED);
  }

  @Test
  void routeTimeoutBoundsACallWithoutDeadline() {
    StatusRuntimeException e = failure(SHORT, "x");
    assertThat(e.getStatus().getCode())
        .as(String.valueOf(e.getStatus()))
        .isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertThat(e.getStatus().getDescription()).isEqualTo("The upstream did not answer in time.");
  }

  @Test
  void unreachableUpstreamIsUnavailableWithoutItsAddress() {
    StatusRuntimeException e = failure(DOWN, "x");
    assertThat(e.getStatus().getCode())
        .as(String.valueOf(e.getStatus()))
        .isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(e.getStatus().getDescription()).isEqualTo("The upstream could not be reached.");
  }

  @Test
  void unknownServiceIsUnimplemented() {
    StatusRuntimeException e = failure(rename(GrpcUpstream.UNARY, "test.Nowhere/Unary"), "x");
    assertThat(e.getStatus().getCode())
        .as(String.valueOf(e.getStatus()))
        .isEqualTo(Status.Code.UNIMPLEMENTED);
  }

  @Test
  void routeToAnHttp1UpstreamIsUnimplemented() {
    StatusRuntimeException e = failure(PLAIN, "x");
    assertThat(e.getStatus().getCode())
        .as(String.valueOf(e.getStatus()))
        .isEqualTo(Status.Code.UNIMPLEMENTED);
  }

  @Test
  void callsAreCountedByRouteAndStatus() {
    ClientCalls.blockingUnaryCall(channel, GrpcUpstream.UNARY, CallOptions.DEFAULT, "count me");
    assertThat(
            gateway.metricLine("tollgate_grpc_calls_total{grpc_status=\"OK\",route=\"test/echo\""))
        .isPresent();
  }

  private static StatusRuntimeException failure(
      MethodDescriptor<String, String> method, String request) {
    return failure(channel, method, request);
  }

  private static StatusRuntimeException failure(
      ManagedChannel on, MethodDescriptor<String, String> method, String request) {
    return catchThrowableOfType(
        StatusRuntimeException.class,
        () ->
            ClientCalls.blockingUnaryCall(
                on, method, CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS), request));
  }

  private static MethodDescriptor<String, String> rename(
      MethodDescriptor<String, String> method, String fullName) {
    return method.toBuilder().setFullMethodName(fullName).build();
  }

  private static StreamObserver<String> completing(CompletableFuture<String> result) {
    return new StreamObserver<>() {
      @Override
      public void onNext(String value) {
        result.complete(value);
      }

      @Override
      public void onError(Throwable t) {
        result.completeExceptionally(t);
      }

      @Override
      public void onCompleted() {}
    };
  }
}
