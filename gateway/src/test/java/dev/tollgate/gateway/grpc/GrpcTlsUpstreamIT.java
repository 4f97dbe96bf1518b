package dev.tollgate.gateway.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tollgate.gateway.support.GatewayFixture;
import dev.tollgate.gateway.support.GrpcUpstream;
import dev.tollgate.gateway.support.Routes;
import dev.tollgate.gateway.support.TestCertificates;
import dev.tollgate.testkit.TempDirs;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * gRPC to {@code h2} upstreams (HTTP/2 over TLS): the upstream's certificate is verified against
 * {@code TOLLGATE_UPSTREAM_CA_FILE}, as for HTTPS upstreams; one from another CA is not trusted and
 * the call ends {@code UNAVAILABLE}.
 */
class GrpcTlsUpstreamIT {
  private static Path dir;
  private static GrpcUpstream trusted;
  private static GrpcUpstream untrusted;
  private static GatewayFixture gateway;
  private static ManagedChannel channel;

  @BeforeAll
  static void start() {
    dir = TempDirs.create("tollgate-grpc-tls");
    TestCertificates upstreamCa = TestCertificates.ca(dir, "upstream-ca");
    TestCertificates otherCa = TestCertificates.ca(dir, "other-ca");
    trusted = GrpcUpstream.start(upstreamCa.server("trusted", "localhost", "IP:127.0.0.1"));
    untrusted = GrpcUpstream.start(otherCa.server("untrusted", "localhost", "IP:127.0.0.1"));
    gateway =
        GatewayFixture.start(
            route("trusted", trusted.url()) + route("untrusted", untrusted.url()),
            Map.of("TOLLGATE_UPSTREAM_CA_FILE", upstreamCa.caFile().toString()));
    channel = NettyChannelBuilder.forAddress("127.0.0.1", gateway.port()).usePlaintext().build();
  }

  /** Serves {@code /<name>.Echo/} from the upstream's {@code test.Echo} service over h2. */
  private static String route(String name, String endpoint) {
    return Routes.route(
        name,
        """
        match: {pathPrefix: /%s.Echo/}
        rewrite: {replacePrefix: /test.Echo/}
        backend:
          endpoints: [%s]
          protocol: h2
          timeout: 10s
        """
            .formatted(name, endpoint));
  }

  @AfterAll
  static void stop() {
    GrpcUpstream.stopAll(channel, gateway, trusted, untrusted);
    TempDirs.deleteRecursively(dir);
  }

  private static String call(String service) {
    MethodDescriptor<String, String> method =
        GrpcUpstream.UNARY.toBuilder().setFullMethodName(service + ".Echo/Unary").build();
    return ClientCalls.blockingUnaryCall(
        channel, method, CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS), "hi");
  }

  @Test
  void callsReachAnUpstreamWhoseCertificateVerifies() {
    assertThat(call("trusted")).startsWith("hi|");
  }

  @Test
  void anUpstreamCertifiedByAnotherCaIsUnavailable() {
    StatusRuntimeException e =
        catchThrowableOfType(StatusRuntimeException.class, () -> call("untrusted"));
    assertThat(e.getStatus().getCode())
        .as(String.valueOf(e.getStatus()))
        .isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(e.getStatus().getDescription()).isEqualTo("The upstream could not be reached.");
  }
}
