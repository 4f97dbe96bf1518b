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
 */
public final class GrpcTimeout {
  static final HeaderName GRPC_TIMEOUT = HeaderNames.create("grpc-timeout");

  private GrpcTimeout() {}

  public static Duration forCall(Headers headers, Duration routeTimeout) {
    return headers
        .first(GRPC_TIMEOUT)
        .flatMap(GrpcTimeout::parse)
        .filter(asked -> asked.compareTo(routeTimeout) < 0)
        .orElse(routeTimeout);
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
