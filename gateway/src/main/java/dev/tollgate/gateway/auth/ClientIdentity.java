package dev.tollgate.gateway.auth;

import jakarta.json.JsonNumber;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.Map;
import java.util.Optional;

/**
 * Who sent a request: the verified JWT's claims, or nobody ({@link #anonymous()}). Limit keys and
 * tiers read claims through {@link #claim(String)}, so they see exactly what the signature covers.
 */
public record ClientIdentity(Map<String, JsonValue> claims) {
  private static final ClientIdentity ANONYMOUS = new ClientIdentity(Map.of());

  public ClientIdentity {
    claims = Map.copyOf(claims);
  }

  public static ClientIdentity anonymous() {
    return ANONYMOUS;
  }

  public boolean isAnonymous() {
    return claims.isEmpty();
  }

  /** The {@code sub} claim, forwarded upstream as {@code X-Tollgate-Subject}. */
  public Optional<String> subject() {
    return claim("sub");
  }

  /**
   * A top-level claim as text: strings as they are, numbers and booleans in their JSON form, and
   * arrays or objects as their compact JSON text (stable for one token, so usable as a key part).
   * JSON {@code null} counts as absent.
   */
  public Optional<String> claim(String name) {
    JsonValue value = claims.get(name);
    if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
      return Optional.empty();
    }
    return Optional.of(
        switch (value) {
          case JsonString s -> s.getString();
          case JsonNumber n -> n.toString();
          default -> value.toString();
        });
  }
}
