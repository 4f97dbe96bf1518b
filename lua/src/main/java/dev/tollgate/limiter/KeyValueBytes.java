package dev.tollgate.limiter;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The bytes a key value is hashed from, one rule for every hash of one ({@code RedisKeys}' tag, the
 * gateway's {@code #}-digest of a long value): distinct strings always give distinct bytes.
 *
 * <p>{@link String#getBytes} with UTF-8 does not: it replaces an unpaired surrogate (a JWT claim
 * may carry one, {@code "\\ud800"} is valid JSON) by {@code ?}, so {@code sub=} followed by U+D800
 * and {@code sub=?} shared a Redis key while the in-process engine kept them apart. Here an
 * unpaired surrogate is encoded as its code point in three bytes (generalized UTF-8, "WTF-8"), a
 * sequence that well-formed UTF-8 never contains. Every well-formed string gets exactly its UTF-8
 * bytes, so no existing key moves.
 */
public final class KeyValueBytes {
  private KeyValueBytes() {}

  public static byte[] of(String keyValue) {
    // a scan without allocation; key values with surrogates at all (emoji, unpaired) are rare
    for (int i = 0; i < keyValue.length(); i++) {
      if (Character.isSurrogate(keyValue.charAt(i))) {
        return generalizedUtf8(keyValue);
      }
    }
    return keyValue.getBytes(StandardCharsets.UTF_8);
  }

  /** UTF-8, with each unpaired surrogate encoded like any other code point below U+10000. */
  private static byte[] generalizedUtf8(String text) {
    byte[] out = new byte[text.length() * 3];
    int n = 0;
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i); // an unpaired surrogate comes back as itself
      i += Character.charCount(cp);
      if (cp < 0x80) {
        out[n++] = (byte) cp;
      } else if (cp < 0x800) {
        out[n++] = (byte) (0xC0 | cp >>> 6);
        out[n++] = (byte) (0x80 | cp & 0x3F);
      } else if (cp < 0x10000) {
        out[n++] = (byte) (0xE0 | cp >>> 12);
        out[n++] = (byte) (0x80 | cp >>> 6 & 0x3F);
        out[n++] = (byte) (0x80 | cp & 0x3F);
      } else {
        out[n++] = (byte) (0xF0 | cp >>> 18);
        out[n++] = (byte) (0x80 | cp >>> 12 & 0x3F);
        out[n++] = (byte) (0x80 | cp >>> 6 & 0x3F);
        out[n++] = (byte) (0x80 | cp & 0x3F);
      }
    }
    return Arrays.copyOf(out, n);
  }
}
