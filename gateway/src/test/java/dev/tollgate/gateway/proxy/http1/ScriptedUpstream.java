package dev.tollgate.gateway.proxy.http1;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import dev.tollgate.gateway.support.RawUpstream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A loopback upstream that answers the n-th request head on a connection with the n-th canned
 * response, each written in the given pieces (one TCP segment each, with a short pause between them
 * so a reader sees them arrive apart), and records every byte the connection received until the
 * client closed it.
 */
final class ScriptedUpstream implements AutoCloseable {
  /** Every wait of the upstream's own, so a client that never closes fails a test, not hangs it. */
  private static final int WAIT_MILLIS = 10_000;

  private static final byte[] HEAD_END = "\r\n\r\n".getBytes(ISO_8859_1);

  /**
   * What one connection received.
   *
   * @param bytes everything the client sent
   * @param closedByClient whether the client closed the connection (false: the upstream gave up)
   */
  record Received(byte[] bytes, boolean closedByClient) {
    String text() {
      return new String(bytes, ISO_8859_1);
    }
  }

  private final List<List<byte[]>> responses;
  private final boolean closeAfterLast;
  private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
  private final RawUpstream raw;

  private ScriptedUpstream(List<List<byte[]>> responses, boolean closeAfterLast) {
    this.responses = responses;
    this.closeAfterLast = closeAfterLast;
    this.raw = RawUpstream.start(this::serve);
  }

  /** Answers each request in turn; the connection stays open until the client closes it. */
  static ScriptedUpstream answering(List<List<byte[]>> responses) {
    return new ScriptedUpstream(responses, false);
  }

  /** Like {@link #answering}, then ends its side of the connection (a close-delimited body). */
  static ScriptedUpstream answeringThenClosing(List<List<byte[]>> responses) {
    return new ScriptedUpstream(responses, true);
  }

  /** One response in pieces of ISO-8859-1 text. */
  static List<byte[]> pieces(String... pieces) {
    return Arrays.stream(pieces).map(piece -> piece.getBytes(ISO_8859_1)).toList();
  }

  URI uri() {
    return URI.create(raw.url());
  }

  /** What the next connection received, once the client closed it (bounded wait). */
  Received nextConnection() throws InterruptedException {
    Received next = received.poll(2 * WAIT_MILLIS, TimeUnit.MILLISECONDS);
    if (next == null) {
      throw new AssertionError("no connection ended within " + 2 * WAIT_MILLIS + " ms");
    }
    return next;
  }

  private void serve(Socket socket) throws IOException {
    socket.setSoTimeout(WAIT_MILLIS);
    socket.setTcpNoDelay(true);
    InputStream in = socket.getInputStream();
    OutputStream out = socket.getOutputStream();
    ByteArrayOutputStream seen = new ByteArrayOutputStream();
    boolean closedByClient = false;
    try {
      int searchFrom = 0;
      for (List<byte[]> response : responses) {
        int headEnd;
        while ((headEnd = indexOf(seen.toByteArray(), searchFrom)) < 0) {
          if (!readSome(in, seen)) {
            closedByClient = true;
            return;
          }
        }
        searchFrom = headEnd + HEAD_END.length;
        writeInPieces(out, response);
      }
      if (closeAfterLast) {
        socket.shutdownOutput();
      }
      while (readSome(in, seen)) {
        // everything until the client closes
      }
      closedByClient = true;
    } catch (SocketTimeoutException e) {
      closedByClient = false;
    } finally {
      received.add(new Received(seen.toByteArray(), closedByClient));
    }
  }

  private static boolean readSome(InputStream in, ByteArrayOutputStream seen) throws IOException {
    byte[] buffer = new byte[8192];
    int n = in.read(buffer);
    if (n < 0) {
      return false;
    }
    seen.write(buffer, 0, n);
    return true;
  }

  private static void writeInPieces(OutputStream out, List<byte[]> pieces) throws IOException {
    for (int i = 0; i < pieces.size(); i++) {
      if (i > 0) {
        pause();
      }
      out.write(pieces.get(i));
      out.flush();
    }
  }

  /** Lets one piece leave (and be read) before the next: the stimulus, not a wait for a state. */
  private static void pause() {
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static int indexOf(byte[] bytes, int from) {
    outer:
    for (int i = from; i <= bytes.length - HEAD_END.length; i++) {
      for (int j = 0; j < HEAD_END.length; j++) {
        if (bytes[i + j] != HEAD_END[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  @Override
  public void close() {
    raw.close();
  }
}
