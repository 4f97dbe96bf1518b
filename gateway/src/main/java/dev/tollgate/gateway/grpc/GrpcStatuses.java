package dev.tollgate.gateway.grpc;

import io.grpc.Status;

/**
 * The gRPC status of a problem the gateway answers itself, from its HTTP status. Mostly gRPC's own
 * HTTP-to-gRPC table (doc/http-grpc-status-mapping.md), with three deliberate differences: 429 is
 * {@code RESOURCE_EXHAUSTED} (a quota, not an outage: clients must wait for the retry delay, not
 * fail over), 504 is {@code DEADLINE_EXCEEDED} (the upstream ran out of time) and 413/501 keep
 * their meaning; the table would make all three {@code UNAVAILABLE} or {@code UNKNOWN}.
 */
public final class GrpcStatuses {
  private GrpcStatuses() {}

  public static Status.Code forHttpStatus(int status) {
    return switch (status) {
      case 400 -> Status.Code.INTERNAL;
      case 401 -> Status.Code.UNAUTHENTICATED;
      case 403 -> Status.Code.PERMISSION_DENIED;
      case 404, 501 -> Status.Code.UNIMPLEMENTED;
      case 408, 504 -> Status.Code.DEADLINE_EXCEEDED;
      case 413, 429 -> Status.Code.RESOURCE_EXHAUSTED;
      case 500 -> Status.Code.INTERNAL;
      case 502, 503 -> Status.Code.UNAVAILABLE;
      default -> Status.Code.UNKNOWN;
    };
  }
}
