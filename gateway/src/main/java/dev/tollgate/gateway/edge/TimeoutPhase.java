package dev.tollgate.gateway.edge;

import dev.tollgate.gateway.problem.Problem;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Where a client ran out of time, and the 408 it is sent before the connection is closed. */
enum TimeoutPhase {
  HEADER("header", "The request headers did not arrive in time."),
  BODY("body", "The request body stalled.");

  private final String label;
  private final byte[] response;

  TimeoutPhase(String label, String detail) {
    this.label = label;
    this.response = response(detail);
  }

  /** Metric label: {@code header} or {@code body}. */
  String label() {
    return label;
  }

  /** A complete HTTP/1.1 response, written straight to the socket. */
  byte[] response() {
    return response.clone();
  }

  private static byte[] response(String detail) {
    String body =
        new Problem(
                Problem.TYPE_PREFIX + "request-timeout", "Request timeout", 408, detail, Map.of())
            .toJson();
    String head =
        "HTTP/1.1 408 Request Timeout\r\n"
            + "Content-Type: application/problem+json\r\n"
            + "Cache-Control: no-store\r\n"
            + "Connection: close\r\n"
            + "Content-Length: "
            + body.getBytes(StandardCharsets.UTF_8).length
            + "\r\n\r\n";
    return (head + body).getBytes(StandardCharsets.UTF_8);
  }
}
