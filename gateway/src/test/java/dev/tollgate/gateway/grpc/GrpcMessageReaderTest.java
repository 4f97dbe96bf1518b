package dev.tollgate.gateway.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.EOFException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How much a request message costs the gateway while it arrives: what the client has sent, not what
 * its length prefix declares, so a client cannot reserve memory with 5 bytes per stream.
 */
class GrpcMessageReaderTest {
  private static final int LIMIT = 4 * 1024 * 1024;

  @Test
  void aPrefixAloneReservesFarLessThanTheLengthItDeclares() {
    // 4 MiB declared, then the client sends nothing more (here: the body ends)
    PiecewiseStream in = new PiecewiseStream(prefix(LIMIT), 5);
    GrpcMessageReader reader = new GrpcMessageReader(in, LIMIT);

    assertThatThrownBy(reader::next).isInstanceOf(EOFException.class);
    assertThat(in.largestBufferOffered()).isLessThanOrEqualTo(16 * 1024);
  }

  @Test
  void theBufferGrowsWithTheBytesThatArrive() throws Exception {
    int length = 1_000_000;
    PiecewiseStream in = new PiecewiseStream(message(length), 4096);
    GrpcMessageReader reader = new GrpcMessageReader(in, LIMIT);

    assertThat(reader.next()).isEqualTo(payload(length));
    for (Read read : in.reads) {
      assertThat(read.bufferLength())
          .as("buffer offered after %d bytes had arrived", read.arrived())
          .isLessThanOrEqualTo(Math.max(16 * 1024, 2 * read.arrived()));
    }
  }

  @Test
  void readsAMessageOfExactlyTheLimitAndThenTheNext() throws Exception {
    byte[] body = concat(message(LIMIT), message(3));
    GrpcMessageReader reader = new GrpcMessageReader(new PiecewiseStream(body, 64 * 1024), LIMIT);

    assertThat(reader.next()).isEqualTo(payload(LIMIT));
    assertThat(reader.next()).isEqualTo(payload(3));
    assertThat(reader.next()).isNull();
  }

  @Test
  void aBodyEndingInsideAGrownMessageIsNotAMessage() {
    byte[] whole = message(100_000);
    byte[] cut = Arrays.copyOf(whole, 50_000);
    GrpcMessageReader reader = new GrpcMessageReader(new PiecewiseStream(cut, 4096), LIMIT);

    assertThatThrownBy(reader::next).isInstanceOf(EOFException.class);
  }

  private static byte[] prefix(int length) {
    return new byte[] {
      0, (byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8), (byte) length
    };
  }

  private static byte[] message(int length) {
    return concat(prefix(length), payload(length));
  }

  private static byte[] payload(int length) {
    byte[] payload = new byte[length];
    for (int i = 0; i < length; i++) {
      payload[i] = (byte) (i * 31);
    }
    return payload;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] both = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    return both;
  }

  /** One read of the body: the buffer the reader offered, and how much had arrived before it. */
  private record Read(int bufferLength, int arrived) {}

  /**
   * A request body that arrives at most {@code piece} bytes per read, as a client's DATA frames do,
   * and records the buffer each read was offered.
   */
  private static final class PiecewiseStream extends InputStream {
    private final byte[] body;
    private final int piece;
    private final List<Read> reads = new ArrayList<>();
    private int position;

    PiecewiseStream(byte[] body, int piece) {
      this.body = body;
      this.piece = piece;
    }

    @Override
    public int read() {
      return position < body.length ? body[position++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      reads.add(new Read(b.length, position));
      if (len == 0) {
        return 0;
      }
      if (position == body.length) {
        return -1;
      }
      int n = Math.min(Math.min(len, piece), body.length - position);
      System.arraycopy(body, position, b, off, n);
      position += n;
      return n;
    }

    int largestBufferOffered() {
      return reads.stream().mapToInt(Read::bufferLength).max().orElse(0);
    }
  }
}
