package dev.tollgate.gateway.grpc;

import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;

/** Tells gRPC calls from other requests: by content type, as gRPC servers do. */
public final class GrpcRequests {
  private GrpcRequests() {}

  /**
   * {@code application/grpc} and its subtypes ({@code application/grpc+proto}, {@code +json}).
   * gRPC-Web ({@code application/grpc-web*}) is a different wire format (trailers in the body, for
   * HTTP/1.1 browsers) and is proxied as an ordinary request.
   */
  public static boolean isGrpc(Headers headers) {
    String type = headers.first(HeaderNames.CONTENT_TYPE).orElse("");
    if (!type.regionMatches(true, 0, "application/grpc", 0, 16)) {
      return false;
    }
    return type.length() == 16 || type.charAt(16) == '+' || type.charAt(16) == ';';
  }
}
