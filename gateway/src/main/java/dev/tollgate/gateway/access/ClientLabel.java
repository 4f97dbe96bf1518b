package dev.tollgate.gateway.access;

import dev.tollgate.gateway.auth.ClientIdentity;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Who a request came from, as access records name it: {@code sub:<16 hex>} (the first 64 bits of
 * SHA-256 over the verified token's subject) when a token was verified, else the client IP. Never a
 * token or other credential; the hash lets a team find its own user's records without putting user
 * names in logs.
 */
final class ClientLabel {
  private static final MessageDigest SHA_256 = sha256();

  private ClientLabel() {}

  static String of(Optional<ClientIdentity> identity, InetAddress address) {
    Optional<String> subject = identity.flatMap(ClientIdentity::subject);
    return subject.isPresent() ? "sub:" + hash(subject.get()) : address.getHostAddress();
  }

  static String hash(String subject) {
    MessageDigest digest;
    try {
      digest = (MessageDigest) SHA_256.clone();
    } catch (CloneNotSupportedException e) {
      digest = sha256();
    }
    return HexFormat.of().formatHex(digest.digest(subject.getBytes(StandardCharsets.UTF_8)), 0, 8);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime provides SHA-256", e);
    }
  }
}
