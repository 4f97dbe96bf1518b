package dev.tollgate.gateway.grpc;

import com.google.protobuf.Any;
import com.google.rpc.RetryInfo;
import dev.tollgate.gateway.problem.GatewayProblemException;
import io.grpc.Status;
import io.helidon.http.Header;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.ServerResponseTrailers;
import io.helidon.http.Status.Family;
import io.helidon.webserver.http.ServerResponse;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

/**
 * A problem the gateway answers itself, sent to a gRPC client as an answer without messages: HTTP
 * 200, then trailers with {@code grpc-status} from {@link GrpcStatuses}, the problem's detail as
 * {@code grpc-message}, and the problem's headers ({@code retry-after}, {@code www-authenticate})
 * as metadata, where gRPC clients show them with the status. The stages' headers (request id,
 * RateLimit fields) are in the response headers and repeated in the trailers. A problem with {@code
 * Retry-After} (429, overload) also carries {@code grpc-status-details-bin}: a {@code
 * google.rpc.Status} with a {@code google.rpc.RetryInfo} whose {@code retry_delay} is that many
 * seconds, the form gRPC clients and Google's client libraries read retry advice from.
 */
public final class GrpcProblemResponse {
  static final HeaderName STATUS_DETAILS = HeaderNames.create("grpc-status-details-bin");

  private GrpcProblemResponse() {}

  /** Sends the answer; headers the stages set (request id, RateLimit fields) are already on it. */
  public static void send(ServerResponse res, String contentType, GatewayProblemException problem) {
    List<Header> stageHeaders = new ArrayList<>();
    res.headers().forEach(stageHeaders::add);
    GrpcStatusHeaders.startResponse(res, contentType);
    ServerResponseTrailers trailers = res.trailers();
    stageHeaders.forEach(trailers::set);
    for (Map.Entry<String, String> header : problem.headers().entrySet()) {
      trailers.set(
          HeaderValues.create(header.getKey().toLowerCase(Locale.ROOT), header.getValue()));
    }
    Status.Code code = GrpcStatuses.forHttpStatus(problem.status().code());
    GrpcStatusHeaders.write(trailers, code, problem.getMessage());
    retryDelaySeconds(problem, trailers)
        .ifPresent(
            seconds ->
                trailers.set(
                    HeaderValues.create(
                        STATUS_DETAILS, statusDetails(code, problem.getMessage(), seconds))));
    res.send();
  }

  /** From {@code Retry-After}, set by the problem itself or by the stage that refused the call. */
  private static OptionalLong retryDelaySeconds(
      GatewayProblemException problem, ServerResponseTrailers trailers) {
    String retryAfter = trailers.first(HeaderNames.RETRY_AFTER).orElse(null);
    if (retryAfter == null || problem.status().family() == Family.SUCCESSFUL) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseLong(retryAfter.trim()));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  /** Base64 without padding, as gRPC writes binary metadata. */
  static String statusDetails(Status.Code code, String message, long retryDelaySeconds) {
    RetryInfo retry =
        RetryInfo.newBuilder()
            .setRetryDelay(com.google.protobuf.Duration.newBuilder().setSeconds(retryDelaySeconds))
            .build();
    com.google.rpc.Status status =
        com.google.rpc.Status.newBuilder()
            .setCode(code.value())
            .setMessage(message == null ? "" : message)
            .addDetails(Any.pack(retry))
            .build();
    return Base64.getEncoder().withoutPadding().encodeToString(status.toByteArray());
  }
}
