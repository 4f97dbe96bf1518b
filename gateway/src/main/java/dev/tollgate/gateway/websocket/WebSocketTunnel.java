package dev.tollgate.gateway.websocket;

import dev.tollgate.gateway.proxy.UpgradedUpstream;
import io.helidon.webserver.ConnectionContext;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One proxied WebSocket after its handshake: client → upstream relayed on the client connection's
 * own thread, upstream → client on a virtual thread of its own. When either direction ends (end of
 * stream, a reset, a failed write) both connections are closed: a WebSocket ends with its close
 * handshake before TCP closes, so nothing the peers still expect is cut off, and a peer that only
 * half-closes has ended its WebSocket anyway. When the gateway ends a tunnel itself ({@link #end}:
 * idle, lifetime, shutdown) both peers get a Close frame (1001, going away) before their
 * connections close, so clients see a WebSocket close rather than a broken connection.
 */
public final class WebSocketTunnel {
  private static final Logger LOG = LoggerFactory.getLogger(WebSocketTunnel.class);

  /** How long the closing side waits for the other direction's thread once both sockets closed. */
  private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(5);

  /** Why the gateway ends a tunnel, as counted and as told to the peers in the Close frame. */
  enum Ending {
    IDLE("idle", "idle timeout"),
    LIFETIME("lifetime", "maximum lifetime reached"),
    SHUTDOWN("shutdown", "gateway shutting down");

    final String label;
    final String closeReason;

    Ending(String label, String closeReason) {
      this.label = label;
      this.closeReason = closeReason;
    }
  }

  private final ConnectionContext client;
  private final UpgradedUpstream upstream;
  private final WebSocketTunnels tunnels;
  private final OneWayRelay up;
  private final OneWayRelay down;
  private final long openedNanos = System.nanoTime();
  private final AtomicReference<String> closeReason = new AtomicReference<>();
  private volatile long lastActivityNanos = openedNanos;

  WebSocketTunnel(ConnectionContext client, UpgradedUpstream upstream, WebSocketTunnels tunnels) {
    this.client = client;
    this.upstream = upstream;
    this.tunnels = tunnels;
    this.up =
        new OneWayRelay(client.dataReader(), upstream.writer(), tunnels.clientToUpstream(), true);
    this.down =
        new OneWayRelay(upstream.reader(), client.dataWriter(), tunnels.upstreamToClient(), false);
  }

  /** Relays until the WebSocket ends; runs on the client connection's thread. */
  public void run() {
    tunnels.opened(this);
    try {
      Thread downThread =
          Thread.ofVirtual()
              .name("tollgate-websocket-" + client.socketId())
              .start(() -> relay(down, "upstream"));
      relay(up, "client");
      join(downThread);
    } finally {
      tunnels.closed(this, closeReason.get());
      LOG.debug(
          "WebSocket to {} closed ({}) after {} ms",
          upstream.endpoint(),
          closeReason.get(),
          Duration.ofNanos(System.nanoTime() - openedNanos).toMillis());
    }
  }

  /** Runs one direction; when it ends, the tunnel closes, named for the side that stopped. */
  private void relay(OneWayRelay relay, String side) {
    try {
      relay.run(() -> lastActivityNanos = System.nanoTime());
    } catch (RuntimeException e) {
      // end of stream, a reset, or the socket closed by the other direction or the gateway
      LOG.trace("WebSocket {} side ended", side, e);
    } finally {
      close(side, null);
    }
  }

  /** Ends the tunnel from the gateway's side, telling both peers why. */
  void end(Ending ending) {
    close(ending.label, ending.closeReason);
  }

  /** Closes both connections once; the first reason given is the one counted. */
  private void close(String reason, String goingAway) {
    if (!closeReason.compareAndSet(null, reason)) {
      return;
    }
    try {
      up.stop(goingAway);
      down.stop(goingAway);
      client.serverSocket().close();
    } catch (RuntimeException e) {
      LOG.trace("closing the client side failed", e);
    } finally {
      upstream.close();
    }
  }

  /** Why this tunnel should be ended at {@code now}, or null while it may stay open. */
  Ending expiry(long now, long idleNanos, long lifetimeNanos) {
    if (now - openedNanos >= lifetimeNanos) {
      return Ending.LIFETIME;
    }
    return now - lastActivityNanos >= idleNanos ? Ending.IDLE : null;
  }

  private static void join(Thread thread) {
    try {
      if (!thread.join(JOIN_TIMEOUT)) {
        LOG.warn("WebSocket relay thread {} did not end after its sockets closed", thread);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
