package dev.tollgate.gateway.admin;

import dev.tollgate.gateway.problem.Problem;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Map;

/**
 * Requires {@code Authorization: Bearer <token>} on every admin path except {@code /health/*}
 * (kubelet probes carry no secret). The token is read once at start from {@code
 * TOLLGATE_ADMIN_TOKEN_FILE} (a mounted Secret); compared in constant time.
 */
public final class AdminTokenFilter implements Filter {
  private static final String CHALLENGE = "Bearer realm=\"tollgate-admin\"";

  private final byte[] expected;

  private AdminTokenFilter(byte[] expected) {
    this.expected = expected;
  }

  /**
   * @throws IllegalArgumentException naming the setting when the file is unreadable or empty
   */
  public static AdminTokenFilter fromFile(Path file) {
    String token;
    try {
      token = Files.readString(file).strip();
    } catch (IOException | UncheckedIOException e) {
      throw new IllegalArgumentException(
          "TOLLGATE_ADMIN_TOKEN_FILE: cannot read " + file + ": " + e.getMessage(), e);
    }
    if (token.isEmpty()) {
      throw new IllegalArgumentException("TOLLGATE_ADMIN_TOKEN_FILE: " + file + " is empty");
    }
    return new AdminTokenFilter(("Bearer " + token).getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
    if (req.path().path().startsWith("/health/")) {
      chain.proceed();
      return;
    }
    byte[] given =
        req.headers()
            .first(HeaderNames.AUTHORIZATION)
            .map(v -> v.getBytes(StandardCharsets.UTF_8))
            .orElse(new byte[0]);
    if (MessageDigest.isEqual(given, expected)) {
      chain.proceed();
      return;
    }
    Problem problem =
        new Problem(
            Problem.TYPE_PREFIX + "unauthorized",
            "Unauthorized",
            401,
            "The admin endpoints require the admin bearer token.",
            Map.of());
    res.status(Status.UNAUTHORIZED_401);
    res.header(HeaderValues.create(HeaderNames.WWW_AUTHENTICATE, CHALLENGE));
    res.header(HeaderValues.create(HeaderNames.CONTENT_TYPE, Problem.MEDIA_TYPE));
    res.header(HeaderValues.create(HeaderNames.CACHE_CONTROL, "no-store"));
    res.send(problem.toJson().getBytes(StandardCharsets.UTF_8));
  }
}
