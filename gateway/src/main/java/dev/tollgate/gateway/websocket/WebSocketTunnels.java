package dev.tollgate.gateway.websocket;

import dev.tollgate.gateway.edge.SweepPeriod;
import dev.tollgate.gateway.metrics.GatewayMetrics;
import io.helidon.metrics.api.Counter;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.LoggerFactory;

/**
 * The open WebSockets: the cap on how many may be open ({@link #tryReserve()} before the upstream
 * is contacted), the sweeper that closes idle and too-old ones, and {@link #closeAll()} at the end
 * of a drain, after which no new one is admitted.
 */
public final class WebSocketTunnels implements AutoCloseable {
  private final WebSocketSettings settings;
  private final GatewayMetrics metrics;
  private final Set<WebSocketTunnel> open = ConcurrentHashMap.newKeySet();
  private final AtomicInteger reserved = new AtomicInteger();
  private final Counter clientToUpstream;
  private final Counter upstreamToClient;
  private final ScheduledExecutorService sweeper =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("tollgate-websocket-sweeper").daemon().factory());
  private volatile boolean closing;

  public WebSocketTunnels(WebSocketSettings settings, GatewayMetrics metrics) {
    this.settings = settings;
    this.metrics = metrics;
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

  /** Runs {@code task} after {@code delay}; at once when the gateway is past its drain. */
  void later(Runnable task, Duration delay) {
    try {
      sweeper.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      task.run();
    }
  }

  /** WebSockets open now. */
  public int openCount() {
    return open.size();
  }

  /** Closes every open WebSocket and refuses new ones (the end of a drain). */
  public void closeAll() {
    closing = true;
    open.forEach(tunnel -> tunnel.end(WebSocketTunnel.Ending.SHUTDOWN));
  }

  private void sweep() {
    try {
      long now = System.nanoTime();
      long idle = settings.idleTimeout().toNanos();
      long lifetime = settings.maxLifetime().toNanos();
      for (WebSocketTunnel tunnel : open) {
        WebSocketTunnel.Ending ending = tunnel.expiry(now, idle, lifetime);
        if (ending != null) {
          tunnel.end(ending);
        }
      }
    } catch (RuntimeException e) {
      // a scheduled task that throws is never run again
      LoggerFactory.getLogger(WebSocketTunnels.class).warn("WebSocket sweep failed", e);
    }
  }

  /**
   * Ends every WebSocket (Close 1001 to both sides) and returns once their connections are closed:
   * after the peers answered, at the latest after {@link WebSocketTunnel#CLOSE_GRACE}.
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
    open.forEach(WebSocketTunnel::closeSockets);
  }
}
