package dev.tollgate.limiter.redis;

import dev.tollgate.redis.ReadOnlyReconnect;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads one Redis reply (RESP2) from a buffered stream: integers as {@link Long}, bulk strings as
 * {@code byte[]} (null when absent), simple strings as {@link String}, errors as {@link Error},
 * arrays as {@link List} of those. Each reply is bounded as a whole (values in all its arrays,
 * bytes in all its strings, nesting, line length), so a reply that is not what a Redis sends (or a
 * peer that is not Redis) fails the read instead of allocating without limit.
 */
final class RespReader {
  /** A Redis error reply ({@code -NOSCRIPT ...}, {@code -ERR ...}): an answer, not a failure. */
  record Error(String message) {
    boolean noScript() {
      return message.startsWith("NOSCRIPT");
    }

    /** The node is a read-only replica: it cannot run the limiter's writes. */
    boolean readOnly() {
      return ReadOnlyReconnect.readOnly(message);
    }
  }

  // Bounds for one whole reply, every array and string in it together. A batch of 128 requests
  // of up to 16 limits answers 4 values per limit: 8,192 values; far below this.
  static final int MAX_VALUES = 1 << 16;
  // Replies carry numbers and short error texts; a script source is sent, never read back.
  static final int MAX_BYTES = 1 << 20;
  private static final int MAX_LINE = 1 << 12;
  private static final int MAX_DEPTH = 4;

  private final InputStream in;
  private int valuesLeft;
  private int bytesLeft;

  /**
   * @param in buffered: the reader takes one byte at a time
   */
  RespReader(InputStream in) {
    this.in = in;
  }

  Object read() throws IOException {
    valuesLeft = MAX_VALUES;
    bytesLeft = MAX_BYTES;
    return read(0);
  }

  private Object read(int depth) throws IOException {
    int type = next();
    String line = line();
    return switch (type) {
      case ':' -> parseLong(line);
      case '+' -> line;
      case '-' -> new Error(line);
      case '$' -> bulk(size(line, bytesLeft));
      case '*' -> array(size(line, valuesLeft), depth);
      default -> throw new ProtocolException("not a RESP2 reply: type byte " + type);
    };
  }

  private Object array(int size, int depth) throws IOException {
    if (size < 0) {
      return null;
    }
    if (depth == MAX_DEPTH) {
      throw new ProtocolException("reply nested deeper than " + MAX_DEPTH);
    }
    valuesLeft -= size;
    List<Object> values = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      values.add(read(depth + 1));
    }
    return values;
  }

  private byte[] bulk(int size) throws IOException {
    if (size < 0) {
      return null;
    }
    bytesLeft -= size;
    byte[] value = in.readNBytes(size);
    if (value.length < size) {
      throw new EOFException("connection closed inside a reply");
    }
    if (next() != '\r' || next() != '\n') {
      throw new ProtocolException("bulk string not followed by CRLF");
    }
    return value;
  }

  private static int size(String line, int max) throws ProtocolException {
    long size = parseLong(line);
    if (size < -1 || size > max) {
      throw new ProtocolException(
          "reply size " + size + " outside -1.." + max + " (what is left of the reply's bounds)");
    }
    return (int) size;
  }

  private static long parseLong(String line) throws ProtocolException {
    try {
      return Long.parseLong(line);
    } catch (NumberFormatException e) {
      throw new ProtocolException("not a number in a reply: " + line);
    }
  }

  private String line() throws IOException {
    StringBuilder line = new StringBuilder();
    int b;
    while ((b = next()) != '\r') {
      if (line.length() == MAX_LINE) {
        throw new ProtocolException("reply line longer than " + MAX_LINE);
      }
      line.append((char) b);
    }
    if (next() != '\n') {
      throw new ProtocolException("CR not followed by LF");
    }
    return new String(
        line.toString().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
  }

  private int next() throws IOException {
    int b = in.read();
    if (b < 0) {
      throw new EOFException("connection closed inside a reply");
    }
    return b;
  }
}
