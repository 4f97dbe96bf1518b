package dev.tollgate.gateway.grpc;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * A call's deadline: the client's {@code grpc-timeout} (gRPC over HTTP/2: 1 to 8 digits and a unit
 * of H, M, S, m, u or n), never longer than the route's {@code timeout}, which also applies when
 * the client sends none. The route's timeout bounds the whole call, streams included (as Envoy's
 * route timeout does for gRPC): a long-lived stream needs a route with a longer timeout.
 *
 * <p>A client's deadline is answered a little ahead of it ({@link #answeredAhead}): the client's
 * timer started before the request reached the gateway, so at the same deadline it fires first and
 * resets the stream. Each such reset counts as a stream cancelled before it was answered, the
 * rapid-reset defence closes a connection after {@code TOLLGATE_H2_MAX_RAPID_RESETS} of them, and a
 * reset that crosses the gateway's own answer can make Helidon end the connection (GOAWAY
 * PROTOCOL_ERROR): either way every other call on the client's connection fails with it. Answered
 * ahead, the call ends with the gateway's {@code DEADLINE_EXCEEDED} and the client resets nothing
 * (Envoy's {@code grpc_timeout_header_offset} serves the same end).
 */
public final class GrpcTimeout {
  static final HeaderName GRPC_TIMEOUT = HeaderNames.create("grpc-timeout");

  /** The most a client's deadline is answered ahead of it. */
  static final Duration MAX_AHEAD = Duration.ofMillis(50);

  private GrpcTimeout() {}

  public static Duration forCall(Headers headers, Duration routeTimeout) {
    return headers
        .first(GRPC_TIMEOUT)
        .flatMap(GrpcTimeout::parse)
        .map(GrpcTimeout::answeredAhead)
        .filter(asked -> asked.compareTo(routeTimeout) < 0)
        .orElse(routeTimeout);
  }

  /**
   * The client's {@code asked} timeout less a twentieth of it, at most {@link #MAX_AHEAD}: more
   * than a response's trip back on a busy network, little of what the client allowed.
   */
  static Duration answeredAhead(Duration asked) {
    Duration ahead = asked.dividedBy(20);
    return asked.minus(ahead.compareTo(MAX_AHEAD) < 0 ? ahead : MAX_AHEAD);
  }

  /** Empty for a value that does not follow the spec (then the route's timeout applies). */
  static Optional<Duration> parse(String value) {
    int digits = value.length() - 1;
    if (digits < 1 || digits > 8) {
      return Optional.empty();
    }
    for (int i = 0; i < digits; i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') {
        return Optional.empty();
      }
    }
    long amount = Long.parseLong(value, 0, digits, 10);
    ChronoUnit unit =
        switch (value.charAt(digits)) {
          case 'H' -> ChronoUnit.HOURS;
          case 'M' -> ChronoUnit.MINUTES;
          case 'S' -> ChronoUnit.SECONDS;
          case 'm' -> ChronoUnit.MILLIS;
          case 'u' -> ChronoUnit.MICROS;
          case 'n' -> ChronoUnit.NANOS;
          default -> null;
        };
    return unit == null ? Optional.empty() : Optional.of(Duration.of(amount, unit));
  }
}
