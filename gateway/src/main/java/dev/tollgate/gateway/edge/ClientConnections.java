package dev.tollgate.gateway.edge;

import dev.tollgate.gateway.metrics.GatewayMetrics;
import io.helidon.common.buffers.BufferData;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.ListenerConfig;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http1.Http1ConnectionListener;
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
 * Enforces {@link ClientLimits} on the public port's HTTP/1 connections.
 *
 * <ul>
 *   <li><b>Connection cap.</b> Every connection passes through {@link CappedConnectionSelector};
 *       past {@code maxConnections} a connection is still read up to its first request head (under
 *       the same deadlines), then answered 503 {@code overloaded} and closed, so the client learns
 *       why instead of hanging. At most {@link #refusalAllowance} such connections are answered at
 *       once; beyond that the listener stops accepting and the kernel's backlog holds the rest.
 *   <li><b>Header and body deadlines.</b> Helidon reads sockets without a timeout, so a sweeper
 *       thread checks every connection's current deadline (header block complete within {@code
 *       headerTimeout} of the request line, next body bytes within {@code bodyTimeout}) and, once
 *       one has passed, writes a 408 problem and closes the socket, which ends the blocked read.
 *   <li><b>Keep-alive.</b> A connection without a request in progress is closed after {@code
 *       keepAliveTimeout} by Helidon's own idle check, configured here.
 * </ul>
 *
 * <p>A connection's state lives in a {@link ClientConnection} bound to its thread: Helidon serves
 * an HTTP/1 connection, and every request on it, on one virtual thread, so the request pipeline
 * finds it with {@link #current()} without any lookup.
 */
public final class ClientConnections implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ClientConnections.class);

  /** Helidon refreshes its idle clock once a second; checking more often gains nothing. */
  private static final Duration IDLE_CHECK_PERIOD = Duration.ofSeconds(1);

  private static final ThreadLocal<ClientConnection> CURRENT = new ThreadLocal<>();

  private final ClientLimits limits;
  private final GatewayMetrics metrics;
  private final int refusalAllowance;
  private final Set<ClientConnection> open = ConcurrentHashMap.newKeySet();
  private final AtomicInteger admitted = new AtomicInteger();
  private final ScheduledExecutorService sweeper =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("tollgate-client-deadlines").daemon().factory());

  public ClientConnections(ClientLimits limits, GatewayMetrics metrics) {
    this.limits = limits;
    this.metrics = metrics;
    // Enough to tell a burst of clients "overloaded" at once, small enough that refusing them
    // (a thread and a read each) stays cheap: a tenth of the cap, at least 16.
    this.refusalAllowance = Math.max(16, limits.maxConnections() / 10);
    metrics.clientConnections(admitted::get);
    long tick = SweepPeriod.of(limits.headerTimeout(), limits.bodyTimeout()).toNanos();
    sweeper.scheduleAtFixedRate(this::sweep, tick, tick, TimeUnit.NANOSECONDS);
  }

  /**
   * Applies the limits to the public listener: its only connection selector (one HTTP/1 selector
   * built from {@code http1}, so Helidon creates each connection at once instead of first reading
   * bytes to pick a protocol, which no deadline would cover), the hard connection limit and the
   * idle timeout. Do not also add {@code http1} as a protocol of the listener.
   */
  public void configure(ListenerConfig.BuilderBase<?, ?> listener, Http1Config http1) {
    listener
        .addConnectionSelector(new CappedConnectionSelector(http1, this))
        .maxTcpConnections(limits.maxConnections() + refusalAllowance)
        .idleConnectionTimeout(limits.keepAliveTimeout())
        .idleConnectionPeriod(IDLE_CHECK_PERIOD);
  }

  /** The receive listener that starts and ends the header deadline; add it to the HTTP/1 config. */
  public Http1ConnectionListener headDeadline() {
    return new Http1ConnectionListener() {
      @Override
      public void prologue(ConnectionContext ctx, HttpPrologue prologue) {
        ClientConnection connection = CURRENT.get();
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
    ClientConnection connection = CURRENT.get();
    return connection == null ? body : new BodyDeadlineStream(body, connection, bodyTimeout);
  }

  /**
   * True when the current request was answered 408 by the sweeper: whatever failed afterwards (the
   * body read, the upstream call) must not write a second response.
   */
  public static boolean currentTimedOut() {
    ClientConnection connection = CURRENT.get();
    return connection != null && connection.timedOut();
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
    }
  }

  private void timeOut(ClientConnection connection, TimeoutPhase phase) {
    metrics.clientTimeout(phase.label());
    try {
      // The connection's thread is blocked reading and writes nothing until the read returns,
      // which it does only after the close below; its own response path then sees timedOut().
      connection.context().serverSocket().write(BufferData.create(phase.response()));
    } catch (RuntimeException e) {
      LOG.debug("408 not delivered; closing anyway", e);
    } finally {
      connection.context().serverSocket().close();
    }
  }

  @Override
  public void close() {
    sweeper.shutdownNow();
  }
}
