package dev.tollgate.gateway.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.WritableHeaders;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The small pieces of the gRPC wire format the gateway reads and writes itself. */
class GrpcWireFormatTest {
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "1S, PT1S",
    "250m, PT0.25S",
    "3M, PT3M",
    "2H, PT2H",
    "100u, PT0.0001S",
    "99999999n, PT0.099999999S"
  })
  void parsesGrpcTimeout(String value, Duration expected) {
    assertThat(GrpcTimeout.parse(value)).contains(expected);
  }

  @ParameterizedTest
  @CsvSource({"S", "1", "123456789S", "1s", "-1S", "1.5S", "١S"})
  void ignoresMalformedGrpcTimeout(String value) {
    assertThat(GrpcTimeout.parse(value)).isEmpty();
  }

  @Test
  void theRouteTimeoutCapsTheClientsDeadline() {
    WritableHeaders<?> headers = WritableHeaders.create();
    headers.set(HeaderValues.create(GrpcTimeout.GRPC_TIMEOUT, "1H"));
    assertThat(GrpcTimeout.forCall(headers, Duration.ofSeconds(15)))
        .isEqualTo(Duration.ofSeconds(15));
    headers.set(HeaderValues.create(GrpcTimeout.GRPC_TIMEOUT, "200m"));
    assertThat(GrpcTimeout.forCall(headers, Duration.ofSeconds(15)))
        .isEqualTo(Duration.ofMillis(190));
    assertThat(GrpcTimeout.forCall(WritableHeaders.create(), Duration.ofSeconds(15)))
        .isEqualTo(Duration.ofSeconds(15));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({"PT0.02S, PT0.019S", "PT0.3S, PT0.285S", "PT1S, PT0.95S", "PT30S, PT29.95S"})
  void answersTheClientsDeadlineAheadOfItsOwnTimer(Duration asked, Duration answered) {
    // a twentieth, at most 50 ms: the client's answer is on its way before its timer resets the
    // stream
    assertThat(GrpcTimeout.answeredAhead(asked)).isEqualTo(answered);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "400, INTERNAL",
    "401, UNAUTHENTICATED",
    "403, PERMISSION_DENIED",
    "404, UNIMPLEMENTED",
    "408, DEADLINE_EXCEEDED",
    "413, RESOURCE_EXHAUSTED",
    "429, RESOURCE_EXHAUSTED",
    "500, INTERNAL",
    "501, UNIMPLEMENTED",
    "502, UNAVAILABLE",
    "503, UNAVAILABLE",
    "504, DEADLINE_EXCEEDED",
    "418, UNKNOWN"
  })
  void mapsTheGatewaysOwnAnswers(int httpStatus, Status.Code expected) {
    assertThat(GrpcStatuses.forHttpStatus(httpStatus)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({
    "application/grpc, true",
    "application/grpc+proto, true",
    "Application/GRPC+json, true",
    "application/grpc;charset=utf-8, true",
    "application/grpc-web, false",
    "application/grpc-web+proto, false",
    "application/grpcx, false",
    "application/json, false"
  })
  void recognisesGrpcByContentType(String contentType, boolean grpc) {
    WritableHeaders<?> headers = WritableHeaders.create();
    headers.set(HeaderValues.create(HeaderNames.CONTENT_TYPE, contentType));
    assertThat(GrpcRequests.isGrpc(headers)).isEqualTo(grpc);
  }

  @ParameterizedTest
  @CsvSource({
    "/shop.v1.Orders/Get, shop.v1.Orders/Get",
    "/Orders/Get, Orders/Get",
    "/shop.v1.Orders/, ",
    "/shop.v1.Orders, ",
    "/a/b/c, ",
    "//Get, ",
    "/, "
  })
  void takesTheMethodFromThePath(String path, String expected) {
    assertThat(GrpcProxy.fullMethodName(path)).isEqualTo(expected);
  }

  @Test
  void percentEncodesTheStatusMessageAsGrpcSpecifies() {
    assertThat(GrpcStatusHeaders.percentEncoded("50% off: ünïcode\n"))
        .isEqualTo("50%25 off: %C3%BCn%C3%AFcode%0A");
  }

  @Test
  void readsLengthPrefixedMessagesToTheEnd() throws Exception {
    byte[] body = {0, 0, 0, 0, 2, 'h', 'i', 0, 0, 0, 0, 0};
    GrpcMessageReader reader = new GrpcMessageReader(new ByteArrayInputStream(body), 16);
    assertThat(reader.next()).containsExactly('h', 'i');
    assertThat(reader.next()).isEmpty();
    assertThat(reader.next()).isNull();
  }

  @Test
  void refusesAMessageOverTheLimitBeforeReadingIt() {
    byte[] body = {0, 0, 0, 0, 17};
    GrpcMessageReader reader = new GrpcMessageReader(new ByteArrayInputStream(body), 16);
    assertThatThrownBy(reader::next)
        .isInstanceOf(GrpcMessageReader.MessageRefusedException.class)
        .hasMessage("request message of 17 bytes exceeds the limit of 16");
  }

  @Test
  void refusesCompressedMessages() {
    byte[] body = {1, 0, 0, 0, 1, 'x'};
    GrpcMessageReader reader = new GrpcMessageReader(new ByteArrayInputStream(body), 16);
    assertThatThrownBy(reader::next)
        .isInstanceOf(GrpcMessageReader.MessageRefusedException.class)
        .hasMessage("compressed request messages are not relayed");
  }

  @Test
  void refusesABodyThatEndsInsideAMessage() {
    byte[] body = {0, 0, 0, 0, 3, 'x'};
    GrpcMessageReader reader = new GrpcMessageReader(new ByteArrayInputStream(body), 16);
    assertThatThrownBy(reader::next).isInstanceOf(java.io.EOFException.class);
  }

  @Test
  void retryInfoCarriesTheDelayInSeconds() throws Exception {
    String details = GrpcProblemResponse.statusDetails(Status.Code.RESOURCE_EXHAUSTED, "slow", 17);
    com.google.rpc.Status status =
        com.google.rpc.Status.parseFrom(java.util.Base64.getDecoder().decode(details));
    assertThat(status.getCode()).isEqualTo(8);
    assertThat(status.getMessage()).isEqualTo("slow");
    assertThat(
            status
                .getDetails(0)
                .unpack(com.google.rpc.RetryInfo.class)
                .getRetryDelay()
                .getSeconds())
        .isEqualTo(17);
  }
}
