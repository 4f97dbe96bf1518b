package dev.tollgate.gateway.websocket;

import dev.tollgate.gateway.pipeline.ProtocolSwitch;
import dev.tollgate.gateway.proxy.UpgradedUpstream;
import io.helidon.webserver.ConnectionContext;
import java.net.SocketException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One proxied WebSocket after its handshake: client → upstream relayed on the client connection's
 * own thread, upstream → client on a virtual thread of its own.
 *
 * <p>When either direction ends (end of stream, a reset, a failed write) both connections are
 * closed at once: a WebSocket ends with its close handshake, relayed like any bytes, before TCP
 * closes, so nothing the peers still expect is cut off, and a peer that only half-closes has ended
 * its WebSocket anyway. When the gateway ends a tunnel itself ({@link #end}: idle, lifetime,
 * shutdown) both peers get a Close frame (1001, going away) and up to {@link #CLOSE_GRACE} to
 * answer it (the answers are not relayed) before their connections close, so both see a completed
 * close handshake rather than a broken connection; a connection still open after that is aborted.
 */
public final class WebSocketTunnel implements ProtocolSwitch.Switched {
  private static final Logger LOG = LoggerFactory.getLogger(WebSocketTunnel.class);

  /**
   * How long the peers have to answer the gateway's Close frame: a peer still connected answers
   * within a round trip, so a second is ample, and it bounds how long a shutdown waits.
   */
  static final Duration CLOSE_GRACE = Duration.ofSeconds(1);

  /** How long the client side waits for the other direction's thread once both sockets closed. */
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
  private final SSLSocket clientTls; // null on the plain listener
  private final UpgradedUpstream upstream;
  private final WebSocketTunnels tunnels;
  private final OneWayRelay up;
  private final OneWayRelay down;
  private final long openedNanos = System.nanoTime();
  private final AtomicReference<String> closeReason = new AtomicReference<>();
  private final AtomicBoolean socketsClosed = new AtomicBoolean();
  private volatile long lastActivityNanos = openedNanos;

  WebSocketTunnel(ConnectionContext client, UpgradedUpstream upstream, WebSocketTunnels tunnels) {
    this.client = client;
    this.clientTls = tunnels.tlsSocket(client.serverSocket()).orElse(null);
    this.upstream = upstream;
    this.tunnels = tunnels;
    this.up =
        new OneWayRelay(client.dataReader(), upstream.writer(), tunnels.clientToUpstream(), true);
    this.down =
        new OneWayRelay(upstream.reader(), client.dataWriter(), tunnels.upstreamToClient(), false);
  }

  /** Relays until the WebSocket ends; runs on the client connection's thread. */
  @Override
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
      closeSockets();
      tunnels.closed(this, closeReason.get());
      LOG.debug(
          "WebSocket to {} closed ({}) after {} ms",
          upstream.endpoint(),
          closeReason.get(),
          Duration.ofNanos(System.nanoTime() - openedNanos).toMillis());
    }
  }

  /**
   * Runs one direction. When it ends on its own, the tunnel closes, named for the side that
   * stopped; after the gateway's Close frame it returns with the peer's answer, or fails once the
   * grace passed and the sockets were closed.
   */
  private void relay(OneWayRelay relay, String side) {
    try {
      relay.run(() -> lastActivityNanos = System.nanoTime());
    } catch (RuntimeException e) {
      // end of stream, a reset, or the socket closed by the other direction or the gateway
      LOG.trace("WebSocket {} side ended", side, e);
    } finally {
      if (closeReason.compareAndSet(null, side)) {
        up.stop(null);
        down.stop(null);
        closeSockets();
      }
    }
  }

  /**
   * Ends the tunnel from the gateway's side: both peers are told why, and their connections are
   * closed once they answered, at the latest after {@link #CLOSE_GRACE} (aborted then).
   */
  void end(Ending ending) {
    if (closeReason.compareAndSet(null, ending.label)) {
      up.stop(ending.closeReason);
      down.stop(ending.closeReason);
      tunnels.later(this::abortSockets, CLOSE_GRACE);
    }
  }

  /**
   * Closes both connections without waiting for a peer, once they had their grace: a TLS client
   * connection is reset. JSSE's close sends close_notify first, and for that waits without limit
   * for the connection's record lock, which a relay blocked writing to a client that stopped
   * reading holds for good; with SO_LINGER 0 it takes the lock only if free and otherwise resets
   * the connection, which fails that write.
   */
  void abortSockets() {
    if (clientTls != null) {
      try {
        clientTls.setSoLinger(true, 0);
      } catch (SocketException e) {
        LOG.trace("the client connection is closed already", e);
      }
    }
    closeSockets();
  }

  /**
   * Closes both connections, ending any blocked read; idempotent. The upstream side needs no abort:
   * Helidon closes its connection's TCP socket, under TLS too, which fails a relay blocked writing
   * to an upstream that stopped reading without waiting for the TLS record lock.
   */
  void closeSockets() {
    if (!socketsClosed.compareAndSet(false, true)) {
      return;
    }
    try {
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
