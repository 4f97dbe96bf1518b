package dev.tollgate.limiter.redis;

import dev.tollgate.api.snapshot.GatewayName;
import dev.tollgate.limiter.KeyValueBytes;
import dev.tollgate.limiter.LimitCheck;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Builds every Redis key of the limiter, and nothing else does:
 *
 * <pre>
 * tollgate:&lt;gw&gt;:rl:{&lt;tag&gt;}:&lt;namespace&gt;/&lt;policy&gt;/&lt;limit&gt;:&lt;algorithm&gt;
 * </pre>
 *
 * <p>The tag is the first 128 bits of SHA-256 over the client's key value ({@link KeyValueBytes}:
 * UTF-8, with distinct bytes for unpaired surrogates), in hex. Key values come from clients (JWT
 * claims, headers), so hashing is what keeps them from choosing a cluster slot (a '{' or '}' in the
 * value has no effect), colliding with another key (a ':' or '/' cannot forge structure) or growing
 * keys without bound (the tag is always 32 characters). All limits of one client share the tag,
 * hence one slot, hence one script call. The numbers of a limit are not in the key, so editing them
 * keeps the state; the algorithm is, because each algorithm stores a different shape (hash or
 * sorted set).
 */
public final class RedisKeys {
  private static final int TAG_BYTES = 16;
  // MessageDigest is not thread-safe and costly to look up by name; cloning a prototype is cheap
  // (a thread-local would not help: the gateway runs each request on a new virtual thread).
  private static final MessageDigest SHA_256 = sha256();

  private final String prefix;

  public RedisKeys(String gatewayName) {
    this.prefix = "tollgate:" + GatewayName.require(gatewayName) + ":rl:{";
  }

  /** The state key of one limit for one client. */
  public String stateKey(LimitCheck check) {
    return prefix
        + tag(check.keyValue())
        + "}:"
        + check.limit().id()
        + ":"
        + check.limit().algorithm().wireName();
  }

  /** The hash tag for a client key value: 32 lower-case hex characters. */
  static String tag(String keyValue) {
    // not getBytes(UTF_8): it maps unpaired surrogates to '?', so distinct values would collide
    byte[] digest = newDigest().digest(KeyValueBytes.of(keyValue));
    return HexFormat.of().formatHex(digest, 0, TAG_BYTES);
  }

  private static MessageDigest newDigest() {
    try {
      return (MessageDigest) SHA_256.clone();
    } catch (CloneNotSupportedException e) {
      return sha256();
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime provides SHA-256", e);
    }
  }
}
