package dev.tollgate.gateway.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Sends bytes exactly as written (no client-side normalization or header validation) and reads
 * until the server closes or a timeout passes. For attack requests that well-behaved clients refuse
 * to send.
 */
public final class RawHttp {
  private RawHttp() {}

  /** Status code and the whole response text (headers and body). */
  public record Response(int status, String text) {
    /** Parses the status from a raw response text; -1 if none arrived. */
    public static int statusOf(String text) {
      return RawHttp.status(text);
    }

    public String body() {
      int split = text.indexOf("\r\n\r\n");
      return split < 0 ? "" : text.substring(split + 4);
    }
  }

  public static Response send(int port, String request) {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(5000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[8192];
      try {
        int n;
        while ((n = in.read(buffer)) >= 0) {
          out.write(buffer, 0, n);
          if (complete(out.toString(StandardCharsets.ISO_8859_1))) {
            break;
          }
        }
      } catch (java.net.SocketTimeoutException | java.net.SocketException e) {
        // the server may reset after answering; what arrived is what we assert on
      }
      String text = out.toString(StandardCharsets.ISO_8859_1);
      return new Response(status(text), text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A GET for {@code target} with {@code Connection: close}. */
  public static Response get(int port, String target) {
    return send(port, "GET " + target + " HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n");
  }

  static boolean complete(String text) {
    int split = text.indexOf("\r\n\r\n");
    if (split < 0) {
      return false;
    }
    String head = text.substring(0, split).toLowerCase();
    int cl = head.indexOf("content-length: ");
    if (cl < 0) {
      return false;
    }
    int end = head.indexOf("\r\n", cl);
    long length = Long.parseLong(head.substring(cl + 16, end < 0 ? head.length() : end).trim());
    return text.length() - split - 4 >= length;
  }

  static int status(String text) {
    if (!text.startsWith("HTTP/1.1 ")) {
      return -1;
    }
    return Integer.parseInt(text.substring(9, 12));
  }
}
