package dev.tollgate.gateway.proxy.http1;

import io.helidon.http.Header;
import io.helidon.http.Headers;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * One HTTP/1.1 request and its response head on an {@link UpstreamSocket} (RFC 9112). The request
 * head is written as given, plus {@code Transfer-Encoding: chunked} when a body without {@code
 * Content-Length} follows; the head and the body bytes already received leave in one write. The
 * response head is read within the read timeout, which also bounds every later wait for body bytes.
 * An upstream that answers before it has taken the whole body (say 413 or 401) and closes has its
 * answer relayed, not the failed write.
 */
public final class Http1Exchange {
  private static final String CHUNKED_FIELD = "Transfer-Encoding: chunked";

  private Http1Exchange() {}

  /**
   * @param target the request target, already encoded
   * @param headers the request's header fields, {@code Host} included; a {@code Content-Length}
   *     among them frames {@code body}
   * @param body the request body, or null for none
   * @param readTimeout longest wait for the upstream: to take each piece of the request, for the
   *     response head once the request is sent, and for each read of the response body
   * @param release takes the connection back once the response body has been read to its end
   * @throws UnsendableRequestException when the method, target or a header holds characters that
   *     cannot be sent in a head (no complete head was sent; the socket must be closed)
   */
  public static UpstreamResponse send(
      UpstreamSocket socket,
      String method,
      String target,
      Headers headers,
      InputStream body,
      Duration readTimeout,
      Consumer<UpstreamSocket> release)
      throws IOException {
    long length = body == null ? 0 : BodyFraming.contentLength(headers);
    long timeout = readTimeout.toNanos();
    ResponseHead head;
    Consumer<UpstreamSocket> afterBody = release;
    socket.readTimeout(Duration.ZERO);
    ResponseDeadlines.start(socket, System.nanoTime() + timeout);
    try {
      writeHead(socket.output(), method, target, headers, body != null && length < 0);
      if (body != null) {
        if (length >= 0) {
          copyExactly(body, length, socket, timeout);
        } else {
          copyChunked(body, socket, timeout);
        }
      }
      socket.output().flush();
      // Let the other requests on this carrier run first: the upstream has not answered yet, and a
      // read now would find nothing, re-arm the JDK's poller and park until its thread wakes this
      // one (an empty read, epoll_ctl and a wake-up). Read after the others, the answer is
      // usually there. When nothing else is waiting, yield returns at once. Measured: fewer empty
      // reads, more requests per core and a shorter tail (benchmarks.md, "read after a yield").
      Thread.yield();
      // the head may take the whole timeout from the end of the request, however long a streamed
      // body took to send
      socket.deadlineNanos(System.nanoTime() + timeout);
      head = ResponseHead.read(socket.input(), socket.maxHeadSize());
    } catch (IOException e) {
      if (socket.expired()) {
        throw timeout(readTimeout, e);
      }
      // a request without a body has no early answer to wait for: its failed write stays a broken
      // connection (a stale keep-alive one is replaced for idempotent requests)
      if (body == null || !socket.output().failed()) {
        throw e;
      }
      head = earlyAnswer(socket, e);
      // the upstream closed its end: the connection ends with this response
      afterBody = UpstreamSocket::close;
    } finally {
      ResponseDeadlines.end(socket);
    }
    // the body's reads are bounded one by one; they rarely wait (small bodies come with the head)
    socket.readTimeout(readTimeout);
    return new UpstreamResponse(head, BodyFraming.of(method, head), socket, afterBody);
  }

  /**
   * An upstream may answer before it has read the whole request (RFC 9112, 9.5) and close, which
   * resets the connection under the body's next write; what it answered is still in the socket's
   * receive buffer. Read within the exchange's deadline; without an answer the write's failure
   * stands.
   */
  private static ResponseHead earlyAnswer(UpstreamSocket socket, IOException writeFailure)
      throws IOException {
    try {
      return ResponseHead.read(socket.input(), socket.maxHeadSize());
    } catch (IOException e) {
      writeFailure.addSuppressed(e);
      throw writeFailure;
    }
  }

  private static SocketTimeoutException timeout(Duration readTimeout, IOException cause) {
    SocketTimeoutException timeout =
        new SocketTimeoutException("no response from the upstream within " + readTimeout);
    timeout.initCause(cause);
    return timeout;
  }

  private static void writeHead(
      WireOutput out, String method, String target, Headers headers, boolean chunked)
      throws IOException {
    out.token(method);
    out.ascii(" ");
    out.target(target);
    out.ascii(" HTTP/1.1");
    out.crlf();
    for (Header header : headers) {
      if (header.valueCount() == 1) {
        // value() reads the single value in place; allValues() copies the list on every call
        field(out, header.name(), header.value());
      } else {
        for (String value : header.allValues()) {
          field(out, header.name(), value);
        }
      }
    }
    if (chunked) {
      out.ascii(CHUNKED_FIELD);
      out.crlf();
    }
    out.crlf();
  }

  private static void field(WireOutput out, String name, String value) throws IOException {
    out.token(name);
    out.ascii(": ");
    out.text(value);
    out.crlf();
  }

  /**
   * Each piece of a body must be taken by the upstream within the timeout (a body streamed by its
   * client may take longer as a whole): the deadline moves on before every write. While the gateway
   * waits for the client's next piece, the upstream is waiting too, not late: the deadline is held,
   * and the client's own body timeout bounds that wait.
   */
  private static void copyExactly(
      InputStream body, long length, UpstreamSocket socket, long timeoutNanos) throws IOException {
    byte[] buffer = socket.bodyBuffer();
    long remaining = length;
    while (remaining > 0) {
      socket.holdDeadline();
      int n = fromClient(body, buffer, (int) Math.min(buffer.length, remaining));
      if (n < 0) {
        throw new ClientBodyException(
            new EOFException("request body ended " + remaining + " bytes before its length"));
      }
      socket.deadlineNanos(System.nanoTime() + timeoutNanos);
      socket.output().bytes(buffer, 0, n);
      remaining -= n;
      flushWhileWaiting(body, socket.output());
    }
  }

  private static void copyChunked(InputStream body, UpstreamSocket socket, long timeoutNanos)
      throws IOException {
    byte[] buffer = socket.bodyBuffer();
    WireOutput out = socket.output();
    int n;
    do {
      socket.holdDeadline();
      n = fromClient(body, buffer, buffer.length);
      if (n > 0) {
        socket.deadlineNanos(System.nanoTime() + timeoutNanos);
        out.ascii(Integer.toHexString(n));
        out.crlf();
        out.bytes(buffer, 0, n);
        out.crlf();
        flushWhileWaiting(body, out);
      }
    } while (n >= 0);
    socket.deadlineNanos(System.nanoTime() + timeoutNanos);
    out.ascii("0");
    out.crlf();
    out.crlf();
  }

  /**
   * Whatever reading the client's body throws is the client's failure (Helidon reports a client
   * that left inside a body with unchecked exceptions of its own, not only IOException).
   */
  private static int fromClient(InputStream body, byte[] buffer, int length)
      throws ClientBodyException {
    try {
      return body.read(buffer, 0, length);
    } catch (IOException | RuntimeException e) {
      throw new ClientBodyException(e);
    }
  }

  /**
   * A body that streams (an upload the client sends as it goes) is passed on as it comes: what is
   * buffered leaves before a read that would wait for the client.
   */
  private static void flushWhileWaiting(InputStream body, WireOutput out) throws IOException {
    if (waitingFor(body)) {
      out.flush();
    }
  }

  private static boolean waitingFor(InputStream body) throws ClientBodyException {
    try {
      return body.available() == 0;
    } catch (IOException | RuntimeException e) {
      throw new ClientBodyException(e);
    }
  }
}
