package dev.tollgate.gateway.grpc;

import dev.tollgate.gateway.pipeline.GatewayExchange;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.Status;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Relays one gRPC call between the client's HTTP/2 stream and an upstream {@link ClientCall}, in
 * both directions at once, so unary, client-streaming, server-streaming and bidirectional calls all
 * work. The request's thread writes the upstream's headers, messages and trailers to the client; a
 * second virtual thread reads the client's messages and sends them upstream.
 *
 * <p>Memory stays bounded by flow control on both sides: the next upstream message is requested
 * only after the previous one was written to the client ({@code request(1)}), so at most one
 * response message, the headers and the close wait in {@link #events} (hence its capacity of 3); a
 * client message is sent upstream only while the call {@link ClientCall#isReady is ready}, so at
 * most one request message is held. HTTP/2 window updates follow from that on both connections.
 */
final class CallRelay {
  /** After the call's deadline, how long to wait for grpc-java to report it before giving up. */
  private static final long CLOSE_GRACE_NANOS = TimeUnit.SECONDS.toNanos(2);

  private final GatewayExchange exchange;
  private final ClientCall<byte[], byte[]> call;
  private final long deadlineNanos;
  private final BlockingQueue<Event> events = new ArrayBlockingQueue<>(3);
  private final ReentrantLock callLock = new ReentrantLock();
  private final ReentrantLock readyLock = new ReentrantLock();
  private final Condition becameReady = readyLock.newCondition();
  private volatile boolean closed;
  private volatile Status refusal;

  private sealed interface Event {}

  private record Headers(Metadata metadata) implements Event {}

  private record Message(byte[] bytes) implements Event {}

  private record Closed(Status status, Metadata trailers) implements Event {}

  /**
   * @param deadlineNanos {@link System#nanoTime} by which the call must be over (also set on the
   *     call's options)
   */
  CallRelay(GatewayExchange exchange, ClientCall<byte[], byte[]> call, long deadlineNanos) {
    this.exchange = exchange;
    this.call = call;
    this.deadlineNanos = deadlineNanos;
  }

  /** Runs the call to its end and answers the client; returns the status the client got. */
  Status.Code run(Metadata requestMetadata) {
    call.start(new Listener(), requestMetadata);
    call.request(1);
    Thread pump = Thread.ofVirtual().name("grpc-request-pump").start(this::pumpRequest);
    try {
      return relayResponse();
    } finally {
      closed = true;
      pump.interrupt();
    }
  }

  private Status.Code relayResponse() {
    ServerResponse res = exchange.response();
    boolean started = false;
    // Opened for the first message only: Helidon 4.3.0 never ends a response whose output stream
    // was opened but not written to (no trailers, no END_STREAM), so a call that ends after the
    // upstream's headers without a message (e.g. one too large to relay) would hang the client
    // until its own deadline. Without a message the answer is sent with send(), as Trailers-Only.
    OutputStream out = null;
    try {
      while (true) {
        Event event = nextEvent();
        switch (event) {
          case Headers headers -> {
            startResponse(res, headers.metadata());
            started = true;
          }
          case Message message -> {
            if (out == null) {
              if (!started) {
                startResponse(res, new Metadata());
                started = true;
              }
              out = res.outputStream();
            }
            writeMessage(out, message.bytes());
            call.request(1);
          }
          case Closed close -> {
            Status status = clientFacing(close.status());
            if (!started) {
              // a status without headers ("Trailers-Only" from the upstream, or a failure)
              startResponse(res, new Metadata());
            }
            GrpcMetadata.toClient(close.trailers(), res.trailers());
            GrpcStatusHeaders.write(res.trailers(), status.getCode(), status.getDescription());
            if (out == null) {
              res.send();
            }
            return status.getCode();
          }
        }
      }
    } catch (IOException | UncheckedIOException e) {
      // the client reset the stream or went away: nobody to answer, stop the upstream call
      cancel("client went away", e);
      throw new UncheckedIOException("client stream failed", asIo(e));
    } catch (InterruptedException e) {
      cancel("gateway shutting down", e);
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while relaying a gRPC call", e);
    }
  }

  private Event nextEvent() throws InterruptedException {
    long wait = deadlineNanos - System.nanoTime() + CLOSE_GRACE_NANOS;
    Event event = events.poll(Math.max(wait, 0), TimeUnit.NANOSECONDS);
    if (event != null) {
      return event;
    }
    // grpc-java ends a call at its deadline itself; this is the belt to those braces.
    cancel("deadline passed", null);
    return new Closed(Status.DEADLINE_EXCEEDED, new Metadata());
  }

  private ServerResponse startResponse(ServerResponse res, Metadata headers) {
    GrpcStatusHeaders.startResponse(res, contentType());
    exchange.responseHeaders().forEach(res::header);
    GrpcMetadata.toClient(headers, res.headers());
    return res;
  }

  private String contentType() {
    return exchange.request().headers().first(HeaderNames.CONTENT_TYPE).orElse("application/grpc");
  }

  private static void writeMessage(OutputStream out, byte[] message) throws IOException {
    int n = message.length;
    byte[] framed = new byte[5 + n];
    framed[1] = (byte) (n >>> 24);
    framed[2] = (byte) (n >>> 16);
    framed[3] = (byte) (n >>> 8);
    framed[4] = (byte) n;
    System.arraycopy(message, 0, framed, 5, n);
    out.write(framed);
    // out at once: a streaming client sees each message as it comes
    out.flush();
  }

  /**
   * What the client is told. A status grpc-java made up itself (connection refused, deadline)
   * carries addresses in its description; the client gets the gateway's own words instead, as the
   * HTTP problems do.
   */
  private Status clientFacing(Status status) {
    if (refusal != null) {
      return refusal;
    }
    if (status.getCode() == Status.Code.DEADLINE_EXCEEDED && System.nanoTime() >= deadlineNanos) {
      return Status.DEADLINE_EXCEEDED.withDescription("The upstream did not answer in time.");
    }
    if (status.getCause() != null || status.getCode() == Status.Code.DEADLINE_EXCEEDED) {
      return status.getCode() == Status.Code.UNAVAILABLE
          ? Status.UNAVAILABLE.withDescription("The upstream could not be reached.")
          : Status.fromCode(status.getCode()).withDescription("The call to the upstream failed.");
    }
    return status;
  }

  /** Reads the client's messages and sends them upstream as the call can take them. */
  private void pumpRequest() {
    try (InputStream in = exchange.request().content().inputStream()) {
      GrpcMessageReader reader = new GrpcMessageReader(in, GrpcChannels.MAX_MESSAGE_BYTES);
      byte[] message;
      while ((message = reader.next()) != null) {
        if (!awaitReady()) {
          return;
        }
        send(message);
      }
      halfClose();
    } catch (GrpcMessageReader.MessageRefusedException e) {
      refusal = Status.RESOURCE_EXHAUSTED.withDescription(e.getMessage());
      cancel(e.getMessage(), null);
    } catch (IOException | RuntimeException e) {
      if (!closed) {
        cancel("client request stream broke off", e);
      }
    }
  }

  private boolean awaitReady() throws IOException {
    readyLock.lock();
    try {
      while (!closed && !isReady()) {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        becameReady.awaitNanos(left);
      }
      return !closed;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting to send upstream", e);
    } finally {
      readyLock.unlock();
    }
  }

  // ClientCall is not thread-safe except for request(int): the two threads take turns here.
  private boolean isReady() {
    callLock.lock();
    try {
      return call.isReady();
    } finally {
      callLock.unlock();
    }
  }

  private void send(byte[] message) {
    callLock.lock();
    try {
      call.sendMessage(message);
    } finally {
      callLock.unlock();
    }
  }

  private void halfClose() {
    callLock.lock();
    try {
      call.halfClose();
    } finally {
      callLock.unlock();
    }
  }

  private void cancel(String reason, Throwable cause) {
    callLock.lock();
    try {
      call.cancel(reason, cause);
    } finally {
      callLock.unlock();
    }
  }

  private static IOException asIo(Exception e) {
    return e instanceof UncheckedIOException u ? u.getCause() : (IOException) e;
  }

  /** Runs on grpc-java's transport thread: hands events over, never blocks. */
  private final class Listener extends ClientCall.Listener<byte[]> {
    @Override
    public void onHeaders(Metadata headers) {
      events.add(new Headers(headers));
    }

    @Override
    public void onMessage(byte[] message) {
      events.add(new Message(message));
    }

    @Override
    public void onClose(Status status, Metadata trailers) {
      closed = true;
      events.add(new Closed(status, trailers));
      signalReady();
    }

    @Override
    public void onReady() {
      signalReady();
    }

    private void signalReady() {
      readyLock.lock();
      try {
        becameReady.signalAll();
      } finally {
        readyLock.unlock();
      }
    }
  }
}
