package dev.tollgate.gateway.support;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;

/** How a client sees the gateway end a connection it stopped reading. */
public final class SocketEnds {
  private SocketEnds() {}

  /**
   * Reads until the end of the stream, a reset, or (over TLS) a connection cut without {@code
   * close_notify}, all of which end it as well; returns the bytes received until then. A read
   * timeout (the socket's own) fails: the connection was not ended.
   */
  public static long bytesUntilEnd(InputStream in) {
    byte[] buffer = new byte[64 * 1024];
    long total = 0;
    try {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        total += n;
      }
    } catch (SocketTimeoutException stillOpen) {
      throw new AssertionError("connection still open after " + total + " bytes", stillOpen);
    } catch (IOException cut) {
      // closed with bytes unread on the gateway's side, or a TLS record cut short: as good an end
    }
    return total;
  }
}
