package dev.tollgate.gateway.proxy.http1;

import java.io.IOException;
import java.io.InputStream;

/**
 * A response body read from the connection's {@link WireInput} up to its framing's end, where it
 * tells its owner once (which may hand the connection to another request). From then on it only
 * answers end-of-stream and never touches the connection again.
 */
abstract class MessageBody extends InputStream {
  private final Runnable atEnd;
  private boolean ended;

  MessageBody(Runnable atEnd) {
    this.atEnd = atEnd;
  }

  /** Reads body bytes that are known to remain; only called before the end. */
  abstract int readBody(byte[] target, int offset, int length) throws IOException;

  @Override
  public final int read(byte[] target, int offset, int length) throws IOException {
    if (ended) {
      return -1;
    }
    if (length == 0) {
      return 0;
    }
    int n = readBody(target, offset, length);
    if (n < 0) {
      end();
    }
    return n;
  }

  @Override
  public final int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  /** Marks the end of the message; the owner is told once. */
  final void end() {
    if (!ended) {
      ended = true;
      atEnd.run();
    }
  }

  /** Does not close the connection: the response that owns this body decides that. */
  @Override
  public void close() {}
}
