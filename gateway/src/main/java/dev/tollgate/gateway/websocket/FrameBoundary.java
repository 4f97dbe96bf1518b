package dev.tollgate.gateway.websocket;

import io.helidon.common.buffers.BufferData;

/**
 * Follows the WebSocket frames (RFC 6455, 5.2) in one direction of a tunnel far enough to know
 * whether the bytes relayed so far end on a frame boundary, where the gateway may add a frame of
 * its own (a Close at shutdown). Only headers are read; payloads are skipped by length.
 */
final class FrameBoundary {
  /** 2 bytes, up to 8 of extended length, 4 of masking key. */
  private final byte[] header = new byte[14];

  private int headerRead;
  private int headerLength = 2;
  private long payloadLeft;

  /** Takes note of {@code chunk} (not consumed) as relayed. */
  void advance(BufferData chunk) {
    int length = chunk.available();
    int i = 0;
    while (i < length) {
      if (payloadLeft > 0) {
        int skip = (int) Math.min(payloadLeft, length - i);
        payloadLeft -= skip;
        i += skip;
        continue;
      }
      header[headerRead++] = (byte) chunk.get(i++);
      if (headerRead == 2) {
        headerLength = 2 + extendedLengthBytes() + ((header[1] & 0x80) != 0 ? 4 : 0);
      }
      if (headerRead == headerLength) {
        payloadLeft = payloadLength();
        headerRead = 0;
        headerLength = 2;
      }
    }
  }

  /** True when no frame is partly relayed. */
  boolean atBoundary() {
    return headerRead == 0 && payloadLeft == 0;
  }

  private int extendedLengthBytes() {
    return switch (header[1] & 0x7F) {
      case 126 -> 2;
      case 127 -> 8;
      default -> 0;
    };
  }

  private long payloadLength() {
    int length = header[1] & 0x7F;
    int extended = extendedLengthBytes();
    if (extended == 0) {
      return length;
    }
    long value = 0;
    for (int i = 0; i < extended; i++) {
      value = (value << 8) | (header[2 + i] & 0xFF);
    }
    // the top bit of a 64-bit length must be 0; a peer that sets it breaks its own stream
    return value & Long.MAX_VALUE;
  }
}
