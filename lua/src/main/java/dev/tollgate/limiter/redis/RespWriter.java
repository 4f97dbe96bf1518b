package dev.tollgate.limiter.redis;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Encodes one Redis command (an array of bulk strings, RESP2) into a buffer kept for the next
 * command of the same connection, so that a batch leaves in one {@code write}.
 */
final class RespWriter {
  private static final byte[] CRLF = {'\r', '\n'};

  private byte[] buffer = new byte[4096];
  private int length;

  /** Starts a command of {@code arguments} bulk strings, the command's name being the first. */
  RespWriter command(int arguments) {
    length = 0;
    return header('*', arguments);
  }

  RespWriter bulk(byte[] value) {
    header('$', value.length);
    append(value, value.length);
    return append(CRLF, CRLF.length);
  }

  RespWriter bulk(String ascii) {
    return bulk(ascii.getBytes(StandardCharsets.US_ASCII));
  }

  void writeTo(OutputStream out) throws IOException {
    out.write(buffer, 0, length);
    out.flush();
  }

  /** The encoded command (tests). */
  byte[] encoded() {
    return Arrays.copyOf(buffer, length);
  }

  private RespWriter header(char type, int count) {
    byte[] digits = Integer.toString(count).getBytes(StandardCharsets.US_ASCII);
    ensure(digits.length + 3);
    buffer[length++] = (byte) type;
    append(digits, digits.length);
    return append(CRLF, CRLF.length);
  }

  private RespWriter append(byte[] bytes, int count) {
    ensure(count);
    System.arraycopy(bytes, 0, buffer, length, count);
    length += count;
    return this;
  }

  private void ensure(int more) {
    if (length + more > buffer.length) {
      buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + more));
    }
  }
}
