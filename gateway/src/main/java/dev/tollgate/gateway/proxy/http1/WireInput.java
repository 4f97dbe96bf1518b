package dev.tollgate.gateway.proxy.http1;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * The read side of an upstream socket with one buffer for the connection's life: response heads are
 * parsed in place from it, and body bytes already in it are handed out before the socket is read
 * again.
 */
final class WireInput {
  private final InputStream socket;
  private final byte[] buffer;
  private int position;
  private int limit;

  WireInput(InputStream socket, int bufferSize) {
    this.socket = socket;
    this.buffer = new byte[bufferSize];
  }

  byte[] buffer() {
    return buffer;
  }

  /** Bytes received and not yet consumed. */
  int buffered() {
    return limit - position;
  }

  /**
   * Whether bytes wait here or in the socket that nothing asked for. On a plain socket the kernel's
   * receive queue is asked (one cheap call); on TLS only bytes already decrypted are seen.
   */
  boolean anythingPending() throws IOException {
    return buffered() > 0 || socket.available() > 0;
  }

  /**
   * Makes a whole line available in the buffer and consumes it.
   *
   * @return the index just past the line's end in {@link #buffer()}, its content starting at the
   *     {@code start} given; the terminator (LF, optionally preceded by CR) excluded
   * @throws HeadTooLargeException when a line does not fit the buffer
   * @throws EOFException when the connection ends before the line does
   */
  int line(int[] start) throws IOException {
    int scanned = 0; // bytes after position already searched for LF
    while (true) {
      for (int i = position + scanned; i < limit; i++) {
        if (buffer[i] == '\n') {
          start[0] = position;
          int end = i > position && buffer[i - 1] == '\r' ? i - 1 : i;
          position = i + 1;
          return end;
        }
      }
      scanned = limit - position;
      if (limit == buffer.length) {
        if (position == 0) {
          throw new HeadTooLargeException(buffer.length);
        }
        compact();
      }
      if (!fillOnce()) {
        throw new EOFException("upstream closed the connection mid-head");
      }
    }
  }

  /**
   * Reads up to {@code length} body bytes: from the buffer first, else straight from the socket.
   */
  int read(byte[] target, int offset, int length) throws IOException {
    if (length == 0) {
      return 0;
    }
    if (position < limit) {
      int n = Math.min(length, limit - position);
      System.arraycopy(buffer, position, target, offset, n);
      position += n;
      return n;
    }
    return socket.read(target, offset, length);
  }

  private void compact() {
    if (position > 0) {
      System.arraycopy(buffer, position, buffer, 0, limit - position);
      limit -= position;
      position = 0;
    }
  }

  private boolean fillOnce() throws IOException {
    if (position == limit) {
      position = 0;
      limit = 0;
    }
    int n = socket.read(buffer, limit, buffer.length - limit);
    if (n < 0) {
      return false;
    }
    limit += n;
    return true;
  }
}
