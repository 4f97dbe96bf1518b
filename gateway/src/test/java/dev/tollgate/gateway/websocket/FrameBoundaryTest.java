package dev.tollgate.gateway.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.common.buffers.BufferData;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FrameBoundaryTest {

  /** A frame with the given payload length, masked or not; payload bytes are zero. */
  private static byte[] frame(int payloadLength, boolean masked) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0x82); // FIN, binary
    int maskBit = masked ? 0x80 : 0;
    if (payloadLength < 126) {
      out.write(maskBit | payloadLength);
    } else if (payloadLength < 65536) {
      out.write(maskBit | 126);
      out.write(payloadLength >> 8);
      out.write(payloadLength);
    } else {
      out.write(maskBit | 127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        out.write((int) ((long) payloadLength >> shift));
      }
    }
    if (masked) {
      out.writeBytes(new byte[] {1, 2, 3, 4});
    }
    out.writeBytes(new byte[payloadLength]);
    return out.toByteArray();
  }

  private static void feed(FrameBoundary boundary, byte[] bytes, int from, int to) {
    boundary.advance(BufferData.create(Arrays.copyOfRange(bytes, from, to)));
  }

  @Test
  void findsTheBoundaryAfterEachFrameWhateverTheChunks() {
    for (int length : new int[] {0, 5, 125, 126, 300, 65535, 65536, 70000}) {
      for (boolean masked : new boolean[] {false, true}) {
        byte[] bytes = frame(length, masked);
        for (int split = 1; split < Math.min(bytes.length, 20); split++) {
          FrameBoundary boundary = new FrameBoundary();
          feed(boundary, bytes, 0, split);
          assertThat(boundary.atBoundary()).as("length %d split %d", length, split).isFalse();
          feed(boundary, bytes, split, bytes.length);
          assertThat(boundary.atBoundary()).as("length %d split %d", length, split).isTrue();
        }
      }
    }
  }

  @Test
  void followsSeveralFramesInOneChunk() {
    ByteArrayOutputStream stream = new ByteArrayOutputStream();
    stream.writeBytes(frame(3, false));
    stream.writeBytes(frame(200, true));
    stream.writeBytes(frame(0, false));
    byte[] all = stream.toByteArray();
    FrameBoundary boundary = new FrameBoundary();
    feed(boundary, all, 0, all.length - 1);
    assertThat(boundary.atBoundary()).isFalse(); // the last frame's second header byte is missing
    feed(boundary, all, all.length - 1, all.length);
    assertThat(boundary.atBoundary()).isTrue();
  }

  @Test
  void theGatewaysCloseFrameIsOneWholeFrame() {
    for (boolean masked : new boolean[] {false, true}) {
      byte[] close = CloseFrame.of("gateway shutting down", masked);
      FrameBoundary boundary = new FrameBoundary();
      feed(boundary, close, 0, close.length - 1);
      assertThat(boundary.atBoundary()).isFalse();
      feed(boundary, close, close.length - 1, close.length);
      assertThat(boundary.atBoundary()).isTrue();
      assertThat(close[0] & 0xFF).isEqualTo(0x88);
      assertThat((close[1] & 0x80) != 0).isEqualTo(masked);
    }
  }
}
