package dev.tollgate.gateway.grpc;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a gRPC request body into messages: each is a 1-byte compressed flag, a 4-byte big-endian
 * length and that many bytes (gRPC over HTTP/2, "Length-Prefixed-Message"). A message longer than
 * the limit is refused before any of it is read, so a client cannot make the gateway buffer more
 * than one message of at most that size. Within the limit the buffer grows as the message's bytes
 * arrive, not to the length the prefix declares: a client that sends only prefixes, on as many
 * streams as it may open, would otherwise hold the limit's worth of heap per stream until each
 * call's deadline.
 */
final class GrpcMessageReader {
  /**
   * What a message's first bytes are read into: most messages fit, and a bare prefix costs this.
   */
  private static final int FIRST_BUFFER_BYTES = 16 * 1024;

  private final InputStream in;
  private final int maxMessageBytes;
  private final byte[] prefix = new byte[5];

  GrpcMessageReader(InputStream in, int maxMessageBytes) {
    this.in = in;
    this.maxMessageBytes = maxMessageBytes;
  }

  /** The next message, or null at the end of the body. */
  byte[] next() throws IOException {
    int first = in.read();
    if (first < 0) {
      return null;
    }
    prefix[0] = (byte) first;
    if (in.readNBytes(prefix, 1, 4) != 4) {
      throw new EOFException("request body ends inside a message prefix");
    }
    if (first != 0) {
      // Compressed messages would need the client's grpc-encoding undone before grpc-java frames
      // them again; clients compress only when asked to, and the gateway never asks.
      throw new MessageRefusedException("compressed request messages are not relayed");
    }
    long length =
        ((prefix[1] & 0xffL) << 24)
            | ((prefix[2] & 0xffL) << 16)
            | ((prefix[3] & 0xffL) << 8)
            | (prefix[4] & 0xffL);
    if (length > maxMessageBytes) {
      throw new MessageRefusedException(
          "request message of " + length + " bytes exceeds the limit of " + maxMessageBytes);
    }
    return readMessage((int) length);
  }

  /**
   * The message's bytes, in a buffer that doubles each time it is full, up to the length: it is
   * never more than twice what has arrived (or {@link #FIRST_BUFFER_BYTES}), and the copies cost
   * about one more message length in all.
   */
  private byte[] readMessage(int length) throws IOException {
    byte[] message = new byte[Math.min(length, FIRST_BUFFER_BYTES)];
    int filled = 0;
    while (true) {
      // readNBytes(byte[], ...), not readNBytes(int): the latter ends with a read of 0 bytes, which
      // Helidon's request stream answers only when more data comes, so the last message of a
      // client that waits for a reply (bidirectional streaming) would stay in the gateway.
      filled += in.readNBytes(message, filled, message.length - filled);
      if (filled < message.length) {
        throw new EOFException("request body ends inside a message");
      }
      if (filled == length) {
        return message;
      }
      message = Arrays.copyOf(message, (int) Math.min(length, 2L * message.length));
    }
  }

  /** A message the gateway will not relay; the call ends with RESOURCE_EXHAUSTED or INTERNAL. */
  static final class MessageRefusedException extends IOException {
    MessageRefusedException(String message) {
      super(message);
    }
  }
}
