package dev.tollgate.gateway.edge;

import dev.tollgate.gateway.metrics.GatewayMetrics;
import dev.tollgate.gateway.problem.GatewayProblems.BodyTimeout;
import dev.tollgate.gateway.proxy.http1.ConnectionOptions;
import io.helidon.common.buffers.BufferData;
import io.helidon.common.socket.HelidonSocket;
import io.helidon.common.socket.SocketOptions;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.ListenerConfig;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http1.Http1ConnectionListener;
import io.helidon.webserver.http2.Http2Config;
import java.io.InputStream;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enforces {@link ClientLimits} on the public port's connections, HTTP/1 and HTTP/2.
 *
 * <ul>
 *   <li><b>Connection cap.</b> Every connection passes through {@link CappedConnectionSelector};
 *       past {@code maxConnections} a connection is still read up to its first request head (under
 *       the same deadlines), then answered 503 {@code overloaded} and closed, so the client learns
 *       why instead of hanging. At most {@link #refusalAllowance(ClientLimits)} such connections
 *       are answered at once; beyond that the listener stops accepting and the kernel's backlog
 *       holds the rest.
 *   <li><b>Header and body deadlines.</b> Helidon reads sockets without a timeout, so a sweeper
 *       thread checks every connection's current deadline (header block complete within {@code
 *       headerTimeout} of the request line, next body bytes within {@code bodyTimeout}) and, once
 *       one has passed, has a 408 problem written and the socket closed, which ends the blocked
 *       read. The sweeper itself never writes: the 408 is written on a virtual thread of its own,
 *       and a client that does not take it in time has its connection aborted ({@link SendWatch}).
 *       On HTTP/2 the body deadline is per stream ({@link ClientStream}): the stalled stream alone
 *       is answered 408, the connection and its other streams go on.
 *   <li><b>Send timeout.</b> Helidon writes to sockets without a timeout either, so a client that
 *       stops reading would hold the request's thread (its in-flight slot, its upstream connection)
 *       for good once the socket buffers are full. Every write to a client, HTTP/1 or HTTP/2, goes
 *       through a {@link SendWatch} ({@link #watchingSends}); the sweeper aborts a connection whose
 *       write has not returned within {@code sendTimeout}, without writing to it. On HTTP/2 that
 *       ends every stream of the connection: one stream's frame stuck in the socket blocks all of
 *       them, and Helidon's flow-control timeout does not cover it (a client that grants a large
 *       window and stops reading the socket is never waited for by flow control).
 *   <li><b>Keep-alive.</b> A connection without a request in progress is closed after {@code
 *       keepAliveTimeout} by Helidon's own idle check, configured here. An HTTP/1 response that
 *       announces {@code Connection: close} ends its connection once sent ({@link #closeAfter}).
 * </ul>
 *
 * <p>A connection's state lives in a {@link ClientConnection} bound to its thread: Helidon serves
 * an HTTP/1 connection, and every request on it, on one virtual thread, so the request pipeline
 * finds it without any lookup. Each HTTP/2 stream runs on a thread of its own, bound to its
 * connection and stream by {@link #runStream}.
 */
public final class ClientConnections implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ClientConnections.class);

  /** Helidon refreshes its idle clock once a second; checking more often gains nothing. */
  private static final Duration IDLE_CHECK_PERIOD = Duration.ofSeconds(1);

  /**
   * How long a client whose deadline passed has at most to take its 408 (a few hundred bytes)
   * before its connection is aborted instead; the send timeout if that is shorter.
   */
  private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(5);

  /** Metric label of a write to the client cut off by the send timeout. */
  private static final String SEND_PHASE = "send";

  private static final ThreadLocal<ClientConnection> CURRENT = new ThreadLocal<>();

  /** Set on the thread of an HTTP/2 stream, beside its connection in {@link #CURRENT}. */
  private static final ThreadLocal<ClientStream> CURRENT_STREAM = new ThreadLocal<>();

  private final ClientLimits limits;
  private final GatewayMetrics metrics;
  private final Set<ClientConnection> open = ConcurrentHashMap.newKeySet();
  private final AtomicInteger admitted = new AtomicInteger();
  private final long sendTimeoutNanos;
  private final long answerTimeoutNanos;
  private final ScheduledExecutorService sweeper =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("tollgate-client-deadlines").daemon().factory());

  public ClientConnections(ClientLimits limits, GatewayMetrics metrics) {
    this.limits = limits;
    this.metrics = metrics;
    this.sendTimeoutNanos = limits.sendTimeout().toNanos();
    this.answerTimeoutNanos = Math.min(ANSWER_TIMEOUT.toNanos(), sendTimeoutNanos);
    metrics.clientConnections(admitted::get);
    Duration readDeadline =
        limits.headerTimeout().compareTo(limits.bodyTimeout()) < 0
            ? limits.headerTimeout()
            : limits.bodyTimeout();
    long tick = SweepPeriod.of(readDeadline, limits.sendTimeout()).toNanos();
    sweeper.scheduleAtFixedRate(this::sweep, tick, tick, TimeUnit.NANOSECONDS);
  }

  /**
   * Enough to tell a burst of clients "overloaded" at once, small enough that refusing them (a
   * thread and a read each) stays cheap: a tenth of the cap, at least 16.
   */
  private static int refusalAllowance(ClientLimits limits) {
    return Math.max(16, limits.maxConnections() / 10);
  }

  /**
   * Sockets a public listener holds at once: the cap plus the connections being told "overloaded".
   */
  public static int listenerSlots(ClientLimits limits) {
    return limits.maxConnections() + refusalAllowance(limits);
  }

  /**
   * Applies the limits to the public listener: its only connection selector (one that claims each
   * connection at once and then runs HTTP/1 from {@code http1} or HTTP/2 from {@code http2}, see
   * {@link CappedConnectionSelector}), the hard connection limit and the idle timeout. Do not also
   * add either protocol to the listener.
   */
  public void configure(
      ListenerConfig.BuilderBase<?, ?> listener, Http1Config http1, Http2Config http2) {
    listener
        .addConnectionSelector(new CappedConnectionSelector(http1, http2, this))
        // Helidon writes an HTTP/2 response as separate HEADERS and DATA frames: with Nagle's
        // algorithm on, the DATA frame waited for the client's delayed ACK, 40 ms per response
        // (h2load: 44 ms mean at any load, 1,800 req/s on 80 streams, against 1.4 ms for nginx)
        .connectionOptions(SocketOptions.builder().tcpNoDelay(true).build())
        .maxTcpConnections(listenerSlots(limits))
        .idleConnectionTimeout(limits.keepAliveTimeout())
        .idleConnectionPeriod(IDLE_CHECK_PERIOD);
  }

  /**
   * The receive listener that starts and ends the header deadline, and refuses a request head that
   * follows a response announcing {@code Connection: close}; add it to the HTTP/1 config.
   */
  public Http1ConnectionListener requestHeads() {
    return new Http1ConnectionListener() {
      @Override
      public void prologue(ConnectionContext ctx, HttpPrologue prologue) {
        ClientConnection connection = CURRENT.get();
        if (connection != null && connection.closing()) {
          // bytes that followed a request whose response ended the connection (closeAfter)
          throw new CloseConnectionException("the connection was announced closed");
        }
        if (connection != null) {
          connection.headStarted(System.nanoTime() + limits.headerTimeout().toNanos());
        }
      }

      @Override
      public void headers(ConnectionContext ctx, Headers headers) {
        ClientConnection connection = CURRENT.get();
        if (connection != null && !connection.headFinished()) {
          // the sweeper answered 408 meanwhile; nothing more may be written
          throw new CloseConnectionException("request header timeout");
        }
      }
    };
  }

  /**
   * Wraps a request body so that each read must return within the body timeout. Outside a client
   * connection (tests calling stages directly) the stream is returned as it is.
   */
  public static InputStream watchBody(InputStream body, Duration bodyTimeout) {
    ClientStream stream = CURRENT_STREAM.get();
    if (stream != null) {
      return new BodyDeadlineStream(body, stream, bodyTimeout);
    }
    ClientConnection connection = CURRENT.get();
    return connection == null ? body : new BodyDeadlineStream(body, connection, bodyTimeout);
  }

  /**
   * What a request that failed should answer, given the client deadlines: on HTTP/1, once the
   * sweeper answered 408 or aborted a write that took too long, whatever failed afterwards (the
   * body read, the upstream call, the write) must not write a response; on HTTP/2, a stream whose
   * body timed out is answered 408.
   */
  public static RuntimeException afterDeadline(RuntimeException failure) {
    ClientStream stream = CURRENT_STREAM.get();
    if (stream != null) {
      return stream.timedOut() ? new BodyTimeout() : failure;
    }
    ClientConnection connection = CURRENT.get();
    return connection != null && (connection.timedOut() || connection.send().aborted())
        ? new CloseConnectionException("client deadline passed", failure)
        : failure;
  }

  /**
   * Ends the calling thread's HTTP/1 connection once {@code res} is sent, when the request asked
   * for that ({@code Connection: close}); Helidon then says so in the response's own header.
   */
  public static void closeAfterIfAsked(ServerRequest req, ServerResponse res) {
    if (ConnectionOptions.of(req.headers()).contains("close")) {
      closeAfter(res);
    }
  }

  /**
   * Ends the calling thread's HTTP/1 connection once {@code res}, which announces {@code
   * Connection: close}, is sent (a no-op on HTTP/2, whose streams end alone, and outside a client
   * connection). Helidon 4.3 writes that header and then reads the connection's next request anyway
   * (helidon#12324): a client waiting for the end of the stream waited for the keep-alive timeout,
   * and the unread body of a rejected request was parsed and served as a request of its own.
   */
  public static void closeAfter(ServerResponse res) {
    ClientConnection connection = CURRENT.get();
    if (connection != null && CURRENT_STREAM.get() == null) {
      // Helidon may hold bytes that followed the request, already read: the next request head
      // found there is refused (requestHeads), and the close ends the wait for more.
      connection.closeAfterResponse();
      res.whenSent(() -> connection.context().serverSocket().close());
    }
  }

  /** The pipeline answered the current request (a no-op outside an HTTP/2 stream). */
  public static void requestAnswered() {
    ClientStream stream = CURRENT_STREAM.get();
    if (stream != null) {
      stream.answered();
    }
  }

  /**
   * True for a request on an HTTP/2 connection over the connection cap: it is answered 503 by the
   * pipeline (HTTP/1 connections over the cap are refused by Helidon before it), and the connection
   * is closed after it.
   */
  public static boolean currentOverCap() {
    ClientConnection connection = CURRENT.get();
    return CURRENT_STREAM.get() != null && connection != null && !connection.admitted();
  }

  /**
   * {@code context} with every write to the client bounded by the send timeout, for the connection
   * {@code connection} served on it (HTTP/1, HTTP/2, or HTTP/1 upgraded to h2c, whose HTTP/2
   * connection is made from the HTTP/1 one's context and so writes through the same watch).
   */
  ConnectionContext watchingSends(ConnectionContext context, ClientConnection connection) {
    return new SendWatchingContext(context, connection.send(), sendTimeoutNanos);
  }

  /**
   * {@code context} with its HTTP/2 streams tracked, for the connection served on the calling
   * thread ({@code context} as it is outside one).
   */
  ConnectionContext streamTracking(ConnectionContext context) {
    ClientConnection connection = CURRENT.get();
    return connection == null ? context : new StreamTrackingContext(context, this, connection);
  }

  /**
   * Runs one HTTP/2 stream of {@code connection} on the calling thread, tracked as a {@link
   * ClientStream} for the body deadline and for {@link #closed} to wake.
   */
  void runStream(ClientConnection connection, Runnable task) {
    ClientStream stream = new ClientStream(Thread.currentThread());
    connection.streams().add(stream);
    CURRENT.set(connection);
    CURRENT_STREAM.set(stream);
    try {
      task.run();
    } finally {
      CURRENT_STREAM.remove();
      CURRENT.remove();
      connection.streams().remove(stream);
      if (!connection.admitted()) {
        connection.context().serverSocket().close(); // over the cap: one answer, then closed
      }
    }
  }

  /**
   * The connection the calling thread serves, for a request that takes its connection over (a
   * WebSocket after its handshake); empty outside a client connection.
   */
  public static Optional<ConnectionContext> currentContext() {
    return Optional.ofNullable(CURRENT.get()).map(ClientConnection::context);
  }

  /** Registers the connection served on the calling thread, admitted or over the cap. */
  ClientConnection opened(ConnectionContext context) {
    boolean underCap = admitted.incrementAndGet() <= limits.maxConnections();
    if (!underCap) {
      admitted.decrementAndGet();
      metrics.overloaded("connections");
    }
    ClientConnection connection = new ClientConnection(context, underCap);
    open.add(connection);
    CURRENT.set(connection);
    return connection;
  }

  void closed(ClientConnection connection) {
    CURRENT.remove();
    open.remove(connection);
    connection.streams().forEach(ClientStream::abort);
    if (connection.admitted()) {
      admitted.decrementAndGet();
    }
  }

  /** Connections open and counted against the cap. */
  public int admittedCount() {
    return admitted.get();
  }

  private void sweep() {
    long now = System.nanoTime();
    for (ClientConnection connection : open) {
      TimeoutPhase phase = connection.expire(now);
      if (phase != null) {
        timeOut(connection, phase);
      }
      abortStalledWrite(connection, now);
      for (ClientStream stream : connection.streams()) {
        if (stream.expire(now)) {
          metrics.clientTimeout(TimeoutPhase.BODY.label());
        }
      }
    }
  }

  private void abortStalledWrite(ClientConnection connection, long now) {
    try {
      // a 408 not taken was counted as its own phase already
      if (connection.send().expire(now) && !connection.timedOut()) {
        metrics.clientTimeout(SEND_PHASE);
      }
    } catch (RuntimeException e) {
      LOG.debug("aborting a client connection failed", e);
    }
  }

  /**
   * Answers 408 and closes the connection, on a virtual thread of its own: the write blocks while
   * the client does not read, and the sweeper must go on enforcing everyone else's deadlines. That
   * write is watched like any other ({@link SendWatch}): a client that does not take the 408 within
   * {@link #ANSWER_TIMEOUT} (or the send timeout, if shorter) has its connection aborted by a later
   * sweep.
   */
  private void timeOut(ClientConnection connection, TimeoutPhase phase) {
    metrics.clientTimeout(phase.label());
    Thread.ofVirtual().name("tollgate-client-timeout").start(() -> answer(connection, phase));
  }

  private void answer(ClientConnection connection, TimeoutPhase phase) {
    // The connection's thread is blocked reading and writes nothing until the read returns, which
    // it does only after the close below; its own response path then sees timedOut().
    HelidonSocket socket = connection.context().serverSocket();
    SendWatch send = connection.send();
    try {
      long stamp = send.started(answerTimeoutNanos);
      try {
        socket.write(BufferData.create(phase.response()));
      } finally {
        send.ended(stamp);
      }
    } catch (RuntimeException e) {
      LOG.debug("408 not delivered; closing anyway", e);
    } finally {
      try {
        socket.close();
      } catch (RuntimeException e) {
        LOG.debug("closing a timed-out client connection failed", e);
      }
    }
  }

  @Override
  public void close() {
    sweeper.shutdownNow();
  }
}
