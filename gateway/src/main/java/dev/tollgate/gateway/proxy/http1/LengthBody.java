package dev.tollgate.gateway.proxy.http1;

import java.io.EOFException;
import java.io.IOException;

/** A body of exactly {@code Content-Length} bytes. */
final class LengthBody extends MessageBody {
  private final WireInput input;
  private long remaining;

  LengthBody(WireInput input, long length, Runnable atEnd) {
    super(atEnd);
    this.input = input;
    this.remaining = length;
    if (length == 0) {
      end();
    }
  }

  @Override
  int readBody(byte[] target, int offset, int length) throws IOException {
    if (remaining == 0) {
      return -1;
    }
    int n = input.read(target, offset, (int) Math.min(length, remaining));
    if (n < 0) {
      throw new EOFException(
          "upstream closed the connection " + remaining + " bytes before the body's end");
    }
    remaining -= n;
    if (remaining == 0) {
      end();
    }
    return n;
  }
}
