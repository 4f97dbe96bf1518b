package dev.tollgate.gateway.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One client connection driven byte by byte, for clients that misbehave on purpose: slow header
 * lines, stalled bodies, idle keep-alive connections. Records when the server closed the
 * connection, so a test can assert how long the gateway let it live.
 */
public final class RawConnection implements AutoCloseable {
  private final Socket socket;
  private final ByteArrayOutputStream received = new ByteArrayOutputStream();
  private final long openedNanos = System.nanoTime();

  /** Where the next response starts in {@link #received}: after the last one read. */
  private int nextResponse;

  private RawConnection(Socket socket) {
    this.socket = socket;
  }

  public static RawConnection open(int port) {
    return open(InetAddress.getLoopbackAddress(), port);
  }

  public static RawConnection open(InetAddress address, int port) {
    try {
      return over(new Socket(address, port));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Drives a socket connected elsewhere (a TLS socket after its handshake, say). */
  public static RawConnection over(Socket socket) {
    try {
      socket.setTcpNoDelay(true);
      return new RawConnection(socket);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sends the text as ISO-8859-1 bytes; false when the server has closed the connection. */
  public boolean send(String text) {
    try {
      socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Reads until the server closes the connection or {@code within} passes.
   *
   * @return time from opening the connection to the close, or empty if it stayed open
   */
  public java.util.Optional<Duration> awaitClose(Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    try {
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[8192];
      while (true) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return java.util.Optional.empty();
        }
        socket.setSoTimeout((int) Math.max(1, left / 1_000_000));
        int n;
        try {
          n = in.read(buffer);
        } catch (SocketTimeoutException e) {
          return java.util.Optional.empty();
        } catch (SocketException e) {
          n = -1; // reset by the server: closed as well
        }
        if (n < 0) {
          return java.util.Optional.of(Duration.ofNanos(System.nanoTime() - openedNanos));
        }
        received.write(buffer, 0, n);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Reads the next complete response (headers, then a {@code Content-Length} body), including one
   * that already arrived during {@link #awaitClose}, or what arrived before the server closed the
   * connection or {@code within} passed.
   */
  public RawHttp.Response readResponse(Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    try {
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[8192];
      int start = nextResponse;
      while (!RawHttp.complete(text(start))) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        socket.setSoTimeout((int) Math.max(1, left / 1_000_000));
        int n;
        try {
          n = in.read(buffer);
        } catch (SocketTimeoutException | SocketException e) {
          break;
        }
        if (n < 0) {
          break;
        }
        received.write(buffer, 0, n);
      }
      String text = text(start);
      nextResponse = received.size();
      return new RawHttp.Response(RawHttp.status(text), text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Everything the server sent on this connection so far. */
  public String received() {
    return text(0);
  }

  private String text(int from) {
    String all = received.toString(StandardCharsets.ISO_8859_1);
    return all.substring(Math.min(from, all.length()));
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
