package dev.tollgate.gateway.websocket;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The Close frame (RFC 6455, 5.5.1) the gateway sends when it ends a WebSocket itself: status 1001
 * (going away) and a short reason. Frames to a server must be masked (5.3), frames to a client must
 * not.
 */
final class CloseFrame {
  /** RFC 6455, 7.4.1: the endpoint is going away. */
  static final int GOING_AWAY = 1001;

  private CloseFrame() {}

  /**
   * @param reason at most 123 bytes in UTF-8 (a control frame carries at most 125)
   * @param masked true for a frame sent to the upstream
   */
  static byte[] of(String reason, boolean masked) {
    byte[] text = reason.getBytes(StandardCharsets.UTF_8);
    if (text.length > 123) {
      throw new IllegalArgumentException("close reason longer than 123 bytes");
    }
    byte[] payload = new byte[2 + text.length];
    payload[0] = (byte) (GOING_AWAY >> 8);
    payload[1] = (byte) GOING_AWAY;
    System.arraycopy(text, 0, payload, 2, text.length);
    int maskLength = masked ? 4 : 0;
    byte[] frame = new byte[2 + maskLength + payload.length];
    frame[0] = (byte) 0x88; // FIN, opcode 8 (close)
    frame[1] = (byte) ((masked ? 0x80 : 0) | payload.length);
    byte[] mask = new byte[4];
    if (masked) {
      ThreadLocalRandom.current().nextBytes(mask);
      System.arraycopy(mask, 0, frame, 2, 4);
    }
    for (int i = 0; i < payload.length; i++) {
      frame[2 + maskLength + i] = (byte) (payload[i] ^ mask[i % 4]);
    }
    return frame;
  }
}
