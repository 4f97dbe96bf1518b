package dev.tollgate.gateway.support;

import java.io.InputStream;
import java.util.Random;
import java.util.zip.CRC32;

/**
 * A large deterministic byte stream generated on the fly (never held in memory), with the CRC-32 of
 * its content, so bodies far larger than any buffer can be checked end to end.
 */
public final class PatternStream extends InputStream {
  private static final int BLOCK = 64 * 1024;
  private final byte[] block = new byte[BLOCK];
  private final long size;
  private long position;

  public PatternStream(long size, long seed) {
    this.size = size;
    new Random(seed).nextBytes(block);
  }

  @Override
  public int read() {
    if (position >= size) {
      return -1;
    }
    return block[(int) (position++ % BLOCK)] & 0xFF;
  }

  @Override
  public int read(byte[] b, int off, int len) {
    if (position >= size) {
      return -1;
    }
    int offset = (int) (position % BLOCK);
    int n = (int) Math.min(Math.min(len, BLOCK - offset), size - position);
    System.arraycopy(block, offset, b, off, n);
    position += n;
    return n;
  }

  /** CRC-32 of a whole stream of this size and seed. */
  public static long crcOf(long size, long seed) {
    return crc(new PatternStream(size, seed));
  }

  /** Reads {@code in} to the end; returns its CRC-32 (length via {@link CountingCrc}). */
  public static long crc(InputStream in) {
    return CountingCrc.of(in).crc();
  }

  /** Length and CRC-32 of a consumed stream. */
  public record CountingCrc(long bytes, long crc) {
    public static CountingCrc of(InputStream in) {
      CRC32 crc = new CRC32();
      byte[] buffer = new byte[64 * 1024];
      long total = 0;
      try (in) {
        int n;
        while ((n = in.read(buffer)) >= 0) {
          crc.update(buffer, 0, n);
          total += n;
        }
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      return new CountingCrc(total, crc.getValue());
    }
  }
}
