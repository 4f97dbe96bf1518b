package dev.tollgate.gateway.support;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A real grpc-java server on a free loopback port (h2c) with a service {@code test.Echo} whose
 * messages are UTF-8 strings, so no generated code is needed. Every answer carries the header
 * {@code x-upstream: echo} and the trailer {@code x-upstream-trailer: done}.
 */
public final class GrpcUpstream implements AutoCloseable {
  public static final String SERVICE = "test.Echo";
  public static final Metadata.Key<String> SUBJECT = ascii("x-tollgate-subject");
  public static final Metadata.Key<String> CUSTOM = ascii("x-custom");
  public static final Metadata.Key<String> FORWARDED_FOR = ascii("x-forwarded-for");
  public static final Metadata.Key<String> UPSTREAM_HEADER = ascii("x-upstream");
  public static final Metadata.Key<String> UPSTREAM_TRAILER = ascii("x-upstream-trailer");
  public static final Metadata.Key<byte[]> REASON_BIN =
      Metadata.Key.of("x-reason-bin", Metadata.BINARY_BYTE_MARSHALLER);

  public static final MethodDescriptor<String, String> UNARY =
      method("Unary", MethodDescriptor.MethodType.UNARY);
  public static final MethodDescriptor<String, String> FAIL =
      method("Fail", MethodDescriptor.MethodType.UNARY);
  public static final MethodDescriptor<String, String> HANG =
      method("Hang", MethodDescriptor.MethodType.UNARY);
  public static final MethodDescriptor<String, String> COUNT =
      method("Count", MethodDescriptor.MethodType.SERVER_STREAMING);
  public static final MethodDescriptor<String, String> JOIN =
      method("Join", MethodDescriptor.MethodType.CLIENT_STREAMING);
  public static final MethodDescriptor<String, String> CHAT =
      method("Chat", MethodDescriptor.MethodType.BIDI_STREAMING);

  private final Server server;
  private final boolean tls;

  public static Metadata.Key<String> ascii(String name) {
    return Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER);
  }

  private GrpcUpstream(Server server, boolean tls) {
    this.server = server;
    this.tls = tls;
  }

  public static GrpcUpstream start() {
    return start(null);
  }

  /**
   * @param tlsPair a directory with {@code tls.crt} and {@code tls.key} to serve h2 over TLS; null
   *     for h2c
   */
  public static GrpcUpstream start(Path tlsPair) {
    ServerServiceDefinition echo =
        ServerServiceDefinition.builder(SERVICE)
            .addMethod(UNARY, ServerCalls.asyncUnaryCall(GrpcUpstream::unary))
            .addMethod(FAIL, ServerCalls.asyncUnaryCall(GrpcUpstream::fail))
            .addMethod(HANG, ServerCalls.asyncUnaryCall(GrpcUpstream::hang))
            .addMethod(COUNT, ServerCalls.asyncServerStreamingCall(GrpcUpstream::count))
            .addMethod(JOIN, ServerCalls.asyncClientStreamingCall(GrpcUpstream::join))
            .addMethod(CHAT, ServerCalls.asyncBidiStreamingCall(GrpcUpstream::chat))
            .build();
    try {
      NettyServerBuilder builder =
          NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
              .addService(ServerInterceptors.intercept(echo, new HeadersAndTrailers()));
      if (tlsPair != null) {
        builder.useTransportSecurity(
            tlsPair.resolve("tls.crt").toFile(), tlsPair.resolve("tls.key").toFile());
      }
      return new GrpcUpstream(builder.build().start(), tlsPair != null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Answers with what it saw: the message and the metadata the gateway forwarded. */
  private static void unary(String request, StreamObserver<String> out) {
    Metadata seen = HeadersAndTrailers.CURRENT.get();
    answer(
        out,
        request
            + "|custom="
            + seen.get(CUSTOM)
            + "|subject="
            + seen.get(SUBJECT)
            + "|xff="
            + seen.get(FORWARDED_FOR));
  }

  /** Fails with a status, a description naming the request and a binary trailer. */
  private static void fail(String request, StreamObserver<String> out) {
    Metadata trailers = new Metadata();
    trailers.put(REASON_BIN, new byte[] {0, 1, 2, (byte) 0xff});
    out.onError(
        Status.FAILED_PRECONDITION
            .withDescription("order " + request + " is closed")
            .asRuntimeException(trailers));
  }

  /** Never answers: the call ends when the client or the gateway gives up (deadline, timeout). */
  private static void hang(String request, StreamObserver<String> out) {}

  /** Streams {@code n1} to {@code n<request>}. */
  private static void count(String request, StreamObserver<String> out) {
    for (int i = 1; i <= Integer.parseInt(request); i++) {
      out.onNext("n" + i);
    }
    out.onCompleted();
  }

  /** Answers the client's messages, once it has sent them all, with them joined by commas. */
  private static StreamObserver<String> join(StreamObserver<String> out) {
    List<String> parts = new ArrayList<>();
    return requests(parts::add, () -> answer(out, String.join(",", parts)));
  }

  /** Answers each message with {@code re:<message>} and completes when the client does. */
  private static StreamObserver<String> chat(StreamObserver<String> out) {
    return requests(value -> out.onNext("re:" + value), out::onCompleted);
  }

  /** The one answer of a call, then its end. */
  private static void answer(StreamObserver<String> out, String message) {
    out.onNext(message);
    out.onCompleted();
  }

  /**
   * Receives a client stream: each message to {@code onMessage}, its end to {@code onEnd}. A
   * client's error needs no answer (the call is over), so it is dropped.
   */
  private static StreamObserver<String> requests(Consumer<String> onMessage, Runnable onEnd) {
    return new StreamObserver<>() {
      @Override
      public void onNext(String value) {
        onMessage.accept(value);
      }

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {
        onEnd.run();
      }
    };
  }

  /**
   * Stops what a gRPC test started, whichever of it did start (null = not started): the client's
   * channel first, then the gateway, then the upstreams.
   */
  public static void stopAll(
      ManagedChannel channel, GatewayFixture gateway, GrpcUpstream... upstreams) {
    if (channel != null) {
      channel.shutdownNow();
    }
    if (gateway != null) {
      gateway.close();
    }
    for (GrpcUpstream upstream : upstreams) {
      if (upstream != null) {
        upstream.close();
      }
    }
  }

  public String url() {
    return (tls ? "https" : "http") + "://127.0.0.1:" + server.getPort();
  }

  @Override
  public void close() {
    server.shutdownNow();
    try {
      server.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static MethodDescriptor<String, String> method(
      String name, MethodDescriptor.MethodType type) {
    return MethodDescriptor.newBuilder(Utf8.INSTANCE, Utf8.INSTANCE)
        .setType(type)
        .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, name))
        .build();
  }

  /** The string marshaller test clients use too. */
  public static final class Utf8 implements MethodDescriptor.Marshaller<String> {
    public static final Utf8 INSTANCE = new Utf8();

    @Override
    public InputStream stream(String value) {
      return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String parse(InputStream stream) {
      try {
        return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** Keeps the request metadata for the handler; adds a header and a trailer to every answer. */
  private static final class HeadersAndTrailers implements ServerInterceptor {
    static final ThreadLocal<Metadata> CURRENT = new ThreadLocal<>();

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
        ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
      ServerCall<Q, R> decorated =
          new io.grpc.ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            @Override
            public void sendHeaders(Metadata responseHeaders) {
              responseHeaders.put(UPSTREAM_HEADER, "echo");
              super.sendHeaders(responseHeaders);
            }

            @Override
            public void close(Status status, Metadata trailers) {
              trailers.put(UPSTREAM_TRAILER, "done");
              super.close(status, trailers);
            }
          };
      ServerCall.Listener<Q> listener = next.startCall(decorated, headers);
      return new io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener<>(
          listener) {
        @Override
        public void onHalfClose() {
          CURRENT.set(headers);
          try {
            super.onHalfClose();
          } finally {
            CURRENT.remove();
          }
        }
      };
    }
  }
}
