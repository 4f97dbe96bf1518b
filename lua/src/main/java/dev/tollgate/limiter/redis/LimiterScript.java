package dev.tollgate.limiter.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The limiter's Lua script: a clock fragment, the shared arithmetic, one fragment per algorithm and
 * the dispatcher ({@code decide.lua}), concatenated in that order into one script so that all
 * limits of a request are decided in a single atomic call. Source and SHA-1 (the EVALSHA digest)
 * are fixed when the script is composed.
 */
public record LimiterScript(String name, String source, String sha1) {
  private static final String DIRECTORY = "/dev/tollgate/lua/";
  private static final List<String> BODY =
      List.of(
          "lib.lua",
          "token-bucket.lua",
          "gcra.lua",
          "sliding-window.lua",
          "sliding-log.lua",
          "fixed-window.lua",
          "decide.lua");

  /** The shipped script: time from Redis {@code TIME}. */
  public static LimiterScript production() {
    return compose("decide", "clock-redis.lua");
  }

  /**
   * Composes the script with another clock fragment. Only tests use this, with a fragment from
   * {@code src/test/resources} that is not in the shipped jar, so production cannot set time.
   */
  static LimiterScript compose(String name, String clockFragment) {
    StringBuilder source = new StringBuilder(read(clockFragment));
    BODY.forEach(fragment -> source.append('\n').append(read(fragment)));
    String text = source.toString();
    return new LimiterScript(name, text, sha1Hex(text));
  }

  private static String read(String fragment) {
    try (InputStream in = LimiterScript.class.getResourceAsStream(DIRECTORY + fragment)) {
      if (in == null) {
        throw new IllegalStateException("limiter script fragment missing: " + DIRECTORY + fragment);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + DIRECTORY + fragment, e);
    }
  }

  private static String sha1Hex(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime provides SHA-1", e);
    }
  }
}
