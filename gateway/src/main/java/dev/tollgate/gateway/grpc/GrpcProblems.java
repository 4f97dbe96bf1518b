package dev.tollgate.gateway.grpc;

import dev.tollgate.gateway.problem.GatewayProblemException;
import io.helidon.http.Status;

/** Problems only gRPC calls meet. */
final class GrpcProblems {
  private GrpcProblems() {}

  /** 404 (UNIMPLEMENTED): the upstream path is not {@code /package.Service/Method}. */
  static final class NotAMethod extends GatewayProblemException {
    NotAMethod() {
      super(
          Status.NOT_FOUND_404,
          "not-a-grpc-method",
          "Not a gRPC method",
          "The path does not name a gRPC method (/package.Service/Method).");
    }
  }

  /** 501 (UNIMPLEMENTED): the route's upstream speaks HTTP/1.1, which cannot carry gRPC. */
  static final class UpstreamNotHttp2 extends GatewayProblemException {
    UpstreamNotHttp2() {
      super(
          Status.NOT_IMPLEMENTED_501,
          "grpc-needs-http2",
          "gRPC needs HTTP/2",
          "This route's upstream is not configured for HTTP/2 (backend.protocol h2c or h2).");
    }
  }
}
