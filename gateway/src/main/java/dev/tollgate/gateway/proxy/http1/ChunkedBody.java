package dev.tollgate.gateway.proxy.http1;

import java.io.EOFException;
import java.io.IOException;

/**
 * A {@code Transfer-Encoding: chunked} body (RFC 9112, 7.1), decoded. Chunk extensions are ignored;
 * trailer fields are read and dropped (the gateway does not relay trailers), within the same size
 * bound as a head.
 */
final class ChunkedBody extends MessageBody {
  private final WireInput input;
  private final int maxTrailerSize;
  private final int[] lineStart = new int[1];
  private long remaining;
  private boolean first = true;

  ChunkedBody(WireInput input, int maxTrailerSize, Runnable atEnd) {
    super(atEnd);
    this.input = input;
    this.maxTrailerSize = maxTrailerSize;
  }

  @Override
  int readBody(byte[] target, int offset, int length) throws IOException {
    if (remaining == 0) {
      remaining = nextChunkSize();
      if (remaining == 0) {
        skipTrailers();
        return -1;
      }
    }
    int n = input.read(target, offset, (int) Math.min(length, remaining));
    if (n < 0) {
      throw new EOFException("upstream closed the connection inside a chunk");
    }
    remaining -= n;
    return n;
  }

  private long nextChunkSize() throws IOException {
    byte[] buffer = input.buffer();
    if (!first && input.line(lineStart) != lineStart[0]) {
      throw new MalformedResponseException("chunk data longer than its size");
    }
    first = false;
    int end = input.line(lineStart);
    long size = 0;
    int digits = 0;
    int i = lineStart[0];
    for (; i < end; i++) {
      int value = Character.digit(buffer[i], 16);
      if (value < 0) {
        break;
      }
      if (++digits > 15) {
        throw new MalformedResponseException("chunk size too large");
      }
      size = size * 16 + value;
    }
    // only whitespace (BWS) and then an extension may follow the size: junk such as "5 6" is a
    // framing another reader of the same bytes could take differently, so it is refused
    while (i < end && (buffer[i] == ' ' || buffer[i] == '\t')) {
      i++;
    }
    if (digits == 0 || (i < end && buffer[i] != ';')) {
      throw new MalformedResponseException("invalid chunk size line");
    }
    return size;
  }

  private void skipTrailers() throws IOException {
    int size = 0;
    while (true) {
      int end = input.line(lineStart);
      if (end == lineStart[0]) {
        return;
      }
      size += end - lineStart[0] + 2;
      if (size > maxTrailerSize) {
        throw new HeadTooLargeException(maxTrailerSize);
      }
    }
  }
}
