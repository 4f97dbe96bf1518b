package dev.tollgate.gateway.websocket;

import dev.tollgate.gateway.edge.SweepPeriod;
import dev.tollgate.gateway.metrics.GatewayMetrics;
import io.helidon.common.socket.SocketContext;
import io.helidon.metrics.api.Counter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import javax.net.ssl.SSLSocket;
import org.slf4j.LoggerFactory;

/**
 * The open WebSockets: the cap on how many may be open ({@link #tryReserve()} before the upstream
 * is contacted), the sweeper that closes idle and too-old ones, and {@link #closeAll()} at the end
 * of a drain, after which no new one is admitted.
 */
public final class WebSocketTunnels implements AutoCloseable {
  /** Longer than sending both Close frames may take (each waits at most 200 ms for a write). */
  private static final Duration ENDING_TIMEOUT = Duration.ofSeconds(1);

  private final WebSocketSettings settings;
  private final GatewayMetrics metrics;
  private final Function<SocketContext, Optional<SSLSocket>> tlsSockets;
  private final Set<WebSocketTunnel> open = ConcurrentHashMap.newKeySet();
  private final AtomicInteger reserved = new AtomicInteger();
  private final Counter clientToUpstream;
  private final Counter upstreamToClient;
  private final ScheduledExecutorService sweeper =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("tollgate-websocket-sweeper").daemon().factory());
  private volatile boolean closing;

  /**
   * @param tlsSockets the JSSE socket of a client connection on the HTTPS listener (empty for one
   *     on the plain listener), which {@link WebSocketTunnel#abortSockets} resets
   */
  public WebSocketTunnels(
      WebSocketSettings settings,
      GatewayMetrics metrics,
      Function<SocketContext, Optional<SSLSocket>> tlsSockets) {
    this.settings = settings;
    this.metrics = metrics;
    this.tlsSockets = tlsSockets;
    this.clientToUpstream = metrics.webSocketBytes("client-to-upstream");
    this.upstreamToClient = metrics.webSocketBytes("upstream-to-client");
    metrics.webSocketConnections(reserved::get);
    long tick = SweepPeriod.of(settings.idleTimeout(), settings.maxLifetime()).toNanos();
    sweeper.scheduleAtFixedRate(this::sweep, tick, tick, TimeUnit.NANOSECONDS);
  }

  /** Takes one of the {@code maxConnections} places; false when all are taken or draining. */
  boolean tryReserve() {
    if (closing) {
      return false;
    }
    if (reserved.incrementAndGet() > settings.maxConnections()) {
      reserved.decrementAndGet();
      return false;
    }
    return true;
  }

  /** Gives back a place whose handshake did not produce a tunnel. */
  void release() {
    reserved.decrementAndGet();
  }

  void opened(WebSocketTunnel tunnel) {
    open.add(tunnel);
    if (closing) {
      tunnel.end(WebSocketTunnel.Ending.SHUTDOWN); // raced with closeAll()
    }
  }

  void closed(WebSocketTunnel tunnel, String reason) {
    if (open.remove(tunnel)) {
      reserved.decrementAndGet();
      metrics.webSocketClosed(reason);
    }
  }

  Counter clientToUpstream() {
    return clientToUpstream;
  }

  Counter upstreamToClient() {
    return upstreamToClient;
  }

  /** The JSSE socket of {@code client}'s connection; empty on the plain listener. */
  Optional<SSLSocket> tlsSocket(SocketContext client) {
    return tlsSockets.apply(client);
  }

  /**
   * Runs {@code task} after {@code delay} on a virtual thread of its own (the sweeper's one thread
   * must not wait for any socket); at once when the gateway is past its drain.
   */
  void later(Runnable task, Duration delay) {
    try {
      sweeper.schedule(
          () -> Thread.ofVirtual().name("tollgate-websocket-close").start(task),
          delay.toNanos(),
          TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      task.run();
    }
  }

  /** WebSockets open now. */
  public int openCount() {
    return open.size();
  }

  /**
   * Starts closing every open WebSocket and refuses new ones (the end of a drain); returns once
   * each was sent its Close frames (their connections close after the grace).
   */
  public void closeAll() {
    closing = true;
    for (Thread ending : endEach(List.copyOf(open), tunnel -> WebSocketTunnel.Ending.SHUTDOWN)) {
      try {
        ending.join(ENDING_TIMEOUT);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /**
   * Ends each tunnel for which {@code ending} names a reason, each on a virtual thread: sending its
   * Close frames may wait for a write in progress, and one stuck peer must not hold up the others.
   */
  private static List<Thread> endEach(
      Collection<WebSocketTunnel> tunnels,
      Function<WebSocketTunnel, WebSocketTunnel.Ending> ending) {
    List<Thread> started = new ArrayList<>();
    for (WebSocketTunnel tunnel : tunnels) {
      WebSocketTunnel.Ending reason = ending.apply(tunnel);
      if (reason != null) {
        started.add(
            Thread.ofVirtual().name("tollgate-websocket-end").start(() -> tunnel.end(reason)));
      }
    }
    return started;
  }

  private void sweep() {
    try {
      long now = System.nanoTime();
      long idle = settings.idleTimeout().toNanos();
      long lifetime = settings.maxLifetime().toNanos();
      endEach(open, tunnel -> tunnel.expiry(now, idle, lifetime));
    } catch (RuntimeException e) {
      // a scheduled task that throws is never run again
      LoggerFactory.getLogger(WebSocketTunnels.class).warn("WebSocket sweep failed", e);
    }
  }

  /**
   * Ends every WebSocket (Close 1001 to both sides) and returns once their connections are closed
   * or being aborted: after the peers answered, at the latest after {@link
   * WebSocketTunnel#CLOSE_GRACE}.
   */
  @Override
  public void close() {
    closeAll();
    // the periodic sweep stops; the delayed socket closes scheduled by closeAll still run
    sweeper.shutdown();
    try {
      if (!sweeper.awaitTermination(
          WebSocketTunnel.CLOSE_GRACE.multipliedBy(2).toMillis(), TimeUnit.MILLISECONDS)) {
        sweeper.shutdownNow();
      }
    } catch (InterruptedException e) {
      sweeper.shutdownNow();
      Thread.currentThread().interrupt();
    }
    open.forEach(WebSocketTunnel::abortSockets);
  }
}
