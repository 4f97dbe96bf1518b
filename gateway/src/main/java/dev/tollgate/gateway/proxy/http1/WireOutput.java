package dev.tollgate.gateway.proxy.http1;

import java.io.IOException;
import java.io.OutputStream;

/**
 * The write side of an upstream socket with one buffer for the connection's life. A request head
 * and the start of its body go out in one write; the socket has Nagle's algorithm off, so each
 * flush is sent at once.
 */
final class WireOutput {
  private final OutputStream socket;
  private final byte[] buffer;
  private int count;
  private boolean failed;

  WireOutput(OutputStream socket, int bufferSize) {
    this.socket = socket;
    this.buffer = new byte[bufferSize];
  }

  /**
   * Writes a method or a field name.
   *
   * @throws UnsendableRequestException for an empty name or a character outside a token
   */
  void token(String name) throws IOException {
    if (name.isEmpty()) {
      throw new UnsendableRequestException("an empty method or field name");
    }
    copy(name, HeadChars.TOKEN, "a method or field name");
  }

  /**
   * Writes a request target.
   *
   * @throws UnsendableRequestException for anything but visible ASCII
   */
  void target(String target) throws IOException {
    copy(target, HeadChars.TARGET, "the request target");
  }

  /**
   * Writes a header value as ISO-8859-1.
   *
   * @throws UnsendableRequestException for CR, LF, NUL and other controls but HTAB, or characters
   *     outside ISO-8859-1: they would let a value split the head
   */
  void text(String value) throws IOException {
    copy(value, HeadChars.FIELD_VALUE, "a header");
  }

  /** Copies {@code value} into the buffer in one pass, checking each character as it goes. */
  private void copy(String value, boolean[] allowed, String part) throws IOException {
    int length = value.length();
    if (length > buffer.length - count) {
      drain();
      if (length > buffer.length) {
        for (int start = 0; start < length; start += buffer.length) {
          copy(value.substring(start, Math.min(length, start + buffer.length)), allowed, part);
        }
        return;
      }
    }
    int at = count;
    for (int i = 0; i < length; i++) {
      char c = value.charAt(i);
      if (c >= allowed.length || !allowed[c]) {
        throw new UnsendableRequestException(
            "character 0x" + Integer.toHexString(c) + " in " + part);
      }
      buffer[at + i] = (byte) c;
    }
    count = at + length;
  }

  /** Writes ASCII that the gateway itself produced (separators, numbers). */
  void ascii(String value) throws IOException {
    int length = value.length();
    for (int i = 0; i < length; i++) {
      if (count == buffer.length) {
        drain();
      }
      buffer[count++] = (byte) value.charAt(i);
    }
  }

  void crlf() throws IOException {
    if (buffer.length - count < 2) {
      drain();
    }
    buffer[count++] = '\r';
    buffer[count++] = '\n';
  }

  void bytes(byte[] source, int offset, int length) throws IOException {
    if (length > buffer.length - count) {
      drain();
      if (length >= buffer.length) {
        write(source, offset, length);
        return;
      }
    }
    System.arraycopy(source, offset, buffer, count, length);
    count += length;
  }

  /** Sends everything buffered. */
  void flush() throws IOException {
    drain();
    try {
      socket.flush();
    } catch (IOException e) {
      failed = true;
      throw e;
    }
  }

  /**
   * Whether a write to the socket failed: the upstream stopped taking the request (it closed or
   * reset the connection), as opposed to a failure reading what is being sent.
   */
  boolean failed() {
    return failed;
  }

  private void drain() throws IOException {
    if (count > 0) {
      write(buffer, 0, count);
      count = 0;
    }
  }

  private void write(byte[] source, int offset, int length) throws IOException {
    try {
      socket.write(source, offset, length);
    } catch (IOException e) {
      failed = true;
      throw e;
    }
  }
}
