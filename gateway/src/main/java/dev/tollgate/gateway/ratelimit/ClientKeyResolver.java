package dev.tollgate.gateway.ratelimit;

import dev.tollgate.api.v1alpha1.RateLimitPolicySpec.Enforcement;
import dev.tollgate.limiter.KeyValueBytes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Builds the key value of a limit for one request: each part as {@code label=value}, joined with
 * {@code |}, for example {@code claim:sub=alice|clientIP=203.0.113.9}. A limit without parts has
 * the key {@code ""}: one bucket shared by every request.
 *
 * <p>The encoding is injective, so no client input can land in another client's bucket: {@code %},
 * {@code |}, {@code =} and {@code ~} inside labels and values are percent-encoded, and values
 * longer than {@value #MAX_VALUE_CHARS} characters are replaced by {@code #} + their SHA-256 (over
 * {@link KeyValueBytes}, which keeps values that differ only in an unpaired surrogate apart), which
 * also bounds the memory an attacker can make the in-process limiter spend per key.
 *
 * <p>A header part's values are joined with {@code ,}, but for a limit that is enforced the header
 * must arrive on one line ({@link RepeatedKeyHeaderException}): with every line keyed, a client
 * could escape its bucket by adding a line of anything.
 *
 * <p>A part the request does not have (no such claim, an anonymous request, no such header, an
 * empty header) takes the value {@value #MISSING}. That is the fallback bucket: all requests
 * missing the part share it, so leaving a part out is never a free pass. Because {@code ~} in real
 * values is escaped, no client can send a value that equals the marker.
 */
public final class ClientKeyResolver {
  /** The value of an absent key part. */
  public static final String MISSING = "~missing~";

  static final int MAX_VALUE_CHARS = 128;

  private ClientKeyResolver() {}

  /**
   * @throws RepeatedKeyHeaderException when {@code enforcement} is {@code ENFORCE} and a header
   *     part arrived on more than one line (a shadow limit keys on the lines joined: it never
   *     refuses a request)
   */
  public static String resolve(
      List<KeyComponent> parts, KeyInputs request, Enforcement enforcement) {
    StringBuilder key = new StringBuilder(64);
    for (KeyComponent part : parts) {
      if (!key.isEmpty()) {
        key.append('|');
      }
      key.append(escape(part.label())).append('=');
      key.append(
          valueOf(part, request, enforcement).map(ClientKeyResolver::encodeValue).orElse(MISSING));
    }
    return key.toString();
  }

  private static Optional<String> valueOf(
      KeyComponent part, KeyInputs request, Enforcement enforcement) {
    return switch (part) {
      case KeyComponent.Claim claim -> request.identity().claim(claim.name());
      case KeyComponent.Header header -> {
        List<String> values = request.headers().apply(header.name());
        if (values.size() > 1 && enforcement == Enforcement.ENFORCE) {
          throw new RepeatedKeyHeaderException(header.name());
        }
        String joined = String.join(",", values);
        yield joined.isEmpty() ? Optional.empty() : Optional.of(joined);
      }
      case KeyComponent.ClientIp ip -> Optional.of(request.clientIp().keyValue());
      case KeyComponent.Path path -> Optional.of(request.path());
      case KeyComponent.Method method -> Optional.of(request.method());
      case KeyComponent.Route route -> Optional.of(request.route());
      case KeyComponent.ClientCertificate certificate -> request.clientCertificate();
    };
  }

  private static String encodeValue(String value) {
    if (value.length() > MAX_VALUE_CHARS) {
      return "#" + sha256(value);
    }
    return escape(value);
  }

  static String escape(String text) {
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      String replacement =
          switch (c) {
            case '%' -> "%25";
            case '|' -> "%7C";
            case '=' -> "%3D";
            case '~' -> "%7E";
            case '#' -> "%23";
            default -> null;
          };
      if (replacement != null && out == null) {
        out = new StringBuilder(text.length() + 8).append(text, 0, i);
      }
      if (out != null) {
        if (replacement != null) {
          out.append(replacement);
        } else {
          out.append(c);
        }
      }
    }
    return out == null ? text : out.toString();
  }

  private static String sha256(String value) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(KeyValueBytes.of(value));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
