package dev.tollgate.gateway.grpc;

import io.grpc.Status;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.WritableHeaders;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;

/**
 * The frame of every gRPC answer: response headers that announce trailers, and trailers with {@code
 * grpc-status} and {@code grpc-message} (percent-encoded as gRPC specifies).
 *
 * <p>Even an answer without messages sends its status in trailers rather than as gRPC's
 * "Trailers-Only" header block: Helidon's HTTP/2 response, asked for trailers, always ends with a
 * trailer block after the headers, and a client that finds the status in the headers and then
 * trailers without one reports {@code UNKNOWN: missing GRPC status}.
 */
final class GrpcStatusHeaders {
  static final HeaderName GRPC_STATUS = HeaderNames.create("grpc-status");
  static final HeaderName GRPC_MESSAGE = HeaderNames.create("grpc-message");
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private GrpcStatusHeaders() {}

  /** Status 200 (gRPC answers every call so), the content type, and trailers announced. */
  static void startResponse(ServerResponse res, String contentType) {
    res.status(io.helidon.http.Status.OK_200);
    res.header(HeaderValues.create(HeaderNames.CONTENT_TYPE, contentType));
    // Helidon sends trailers when the client said "TE: trailers" (gRPC clients must) or the
    // response announces them; announcing them makes the status reach any client.
    res.header(HeaderValues.create(HeaderNames.TRAILER, "grpc-status, grpc-message"));
  }

  static void write(WritableHeaders<?> target, Status.Code code, String message) {
    target.set(HeaderValues.create(GRPC_STATUS, Integer.toString(code.value())));
    if (message != null && !message.isEmpty()) {
      target.set(HeaderValues.create(GRPC_MESSAGE, percentEncoded(message)));
    }
  }

  /**
   * UTF-8 bytes outside printable ASCII, and {@code %} itself, as {@code %XX} (gRPC over HTTP/2,
   * "Status-Message"). grpc-java keeps its encoder internal, hence these few lines.
   */
  static String percentEncoded(String message) {
    byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
    StringBuilder out = new StringBuilder(bytes.length);
    for (byte b : bytes) {
      int c = b & 0xff;
      if (c >= 0x20 && c < 0x7f && c != '%') {
        out.append((char) c);
      } else {
        out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
      }
    }
    return out.toString();
  }
}
