package dev.tollgate.gateway.pipeline;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Keeps a client's {@code X-Request-Id} when it is a short token (so traces can be joined across
 * systems), otherwise generates one; never passes through values that could inject into logs.
 */
final class RequestIds {
  private static final HeaderName REQUEST_ID = HeaderNames.create("X-Request-Id");

  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  private RequestIds() {}

  /**
   * A random version-4 UUID from {@link ThreadLocalRandom}: ids need to be unique, not
   * unpredictable, and {@code UUID.randomUUID()} serializes every request on the shared
   * SecureRandom.
   */
  static String random() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long high = (random.nextLong() & ~0xF000L) | 0x4000L;
    long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(high, low).toString();
  }

  static String of(ServerRequest request) {
    return request
        .headers()
        .first(REQUEST_ID)
        .filter(id -> SAFE.matcher(id).matches())
        .orElseGet(RequestIds::random);
  }
}
