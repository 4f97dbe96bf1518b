package dev.tollgate.gateway.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Queue;

/**
 * An upstream written byte by byte, for answers no HTTP server library sends on purpose (a body
 * ended by closing the connection, frames in the same write as a 101 head): a loopback socket on a
 * free port whose connections are served one after the other, each closed after its handler.
 */
public final class RawUpstream implements AutoCloseable {
  /** Serves one accepted connection; it is closed afterwards. */
  @FunctionalInterface
  public interface Handler {
    void serve(Socket socket) throws IOException;
  }

  private final ServerSocket socket;
  private final Thread acceptor;

  private RawUpstream(ServerSocket socket, Handler handler) {
    this.socket = socket;
    this.acceptor = Thread.ofVirtual().start(() -> acceptEach(handler));
  }

  public static RawUpstream start(Handler handler) {
    try {
      return new RawUpstream(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), handler);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * An upstream that puts each request head it receives into {@code heads} and answers it with
   * {@code answer} (which should close the connection: one request per connection).
   */
  public static RawUpstream recording(Queue<String> heads, String answer) {
    return start(
        socket -> {
          String head = readHead(socket.getInputStream());
          if (head.endsWith("\r\n\r\n")) {
            heads.add(head);
            socket.getOutputStream().write(answer.getBytes(StandardCharsets.ISO_8859_1));
          }
        });
  }

  /** Reads up to the end of a request head (or of the stream), leaving any body unread. */
  public static void skipHead(InputStream in) throws IOException {
    readHead(in);
  }

  /**
   * Reads a message head up to and with its empty line, or to the end of the stream (then the head
   * returned does not end with one), leaving any body unread.
   */
  public static String readHead(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    int b;
    while (!endsWithEmptyLine(head) && (b = in.read()) >= 0) {
      head.append((char) b);
    }
    return head.toString();
  }

  private static boolean endsWithEmptyLine(StringBuilder head) {
    int n = head.length();
    return n >= 4 && head.substring(n - 4).equals("\r\n\r\n");
  }

  /** {@code http://127.0.0.1:port}, for a route's endpoint list. */
  public String url() {
    return "http://127.0.0.1:" + socket.getLocalPort();
  }

  private void acceptEach(Handler handler) {
    while (!socket.isClosed()) {
      try (Socket accepted = socket.accept()) {
        handler.serve(accepted);
      } catch (IOException e) {
        if (!socket.isClosed()) {
          throw new UncheckedIOException(e);
        }
      }
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      acceptor.interrupt();
    }
  }
}
