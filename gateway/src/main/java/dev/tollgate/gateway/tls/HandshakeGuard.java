package dev.tollgate.gateway.tls;

import dev.tollgate.gateway.metrics.GatewayMetrics;
import io.helidon.common.socket.SocketContext;
import java.io.IOException;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * Bounds what clients can hold on the HTTPS port before and during their TLS handshake.
 *
 * <ul>
 *   <li><b>Deadline.</b> Helidon runs the handshake before any connection handler (and so before
 *       the client header deadline) sees the connection, with no read timeout: a client that
 *       connects and sends nothing, or a ClientHello one byte at a time, would hold its socket for
 *       good. A connection whose handshake has not finished {@code handshakeTimeout} after accept
 *       (absolute, so trickling bytes does not extend it) is closed, which fails the blocked read.
 *   <li><b>Socket cap.</b> At most {@code maxSockets} accepted sockets are open at once (the public
 *       listener's own limit, handshakes included); at the cap, accepting waits and the kernel's
 *       backlog holds newcomers. This replaces Helidon's per-listener limit on this port: Helidon
 *       4.3.0 does not give a connection's slot back when its handshake fails (the handler returns
 *       before the block that releases it), so every refused, timed-out or aborted handshake would
 *       shrink the listener until it accepted nothing.
 * </ul>
 *
 * <p>Each accepted socket gets one timer entry; when it fires, a socket that finished its handshake
 * (JSSE has settled its application protocol, "" without ALPN) or is already closed is left alone.
 *
 * <p>The accepted sockets can be looked up by connection ({@link #socketOf}): Helidon's connection
 * hides its {@link SSLSocket}, and only on that can socket options be set.
 */
public final class HandshakeGuard implements AutoCloseable {
  /** How often a full acceptor looks for closed sockets; a slot is reused at most this late. */
  private static final Duration FULL_POLL = Duration.ofMillis(10);

  private final Duration timeout;
  private final int maxSockets;
  private final GatewayMetrics metrics;
  private final Map<Ends, SSLSocket> open = new ConcurrentHashMap<>();
  private final ScheduledThreadPoolExecutor timer;

  public HandshakeGuard(Duration timeout, int maxSockets, GatewayMetrics metrics) {
    this.timeout = timeout;
    this.maxSockets = maxSockets;
    this.metrics = metrics;
    this.timer =
        new ScheduledThreadPoolExecutor(
            1, Thread.ofPlatform().name("tollgate-tls-handshake-deadlines").daemon().factory());
    timer.setRemoveOnCancelPolicy(true);
  }

  /** {@code context} with its server sockets accepting through this guard. */
  public SSLContext watch(SSLContext context) {
    return DeadlineSslContext.wrap(context, this);
  }

  /** Waits (on the accepting thread) until a socket slot is free. */
  void awaitSlot() throws IOException {
    while (open.size() >= maxSockets) {
      open.values().removeIf(SSLSocket::isClosed);
      if (open.size() >= maxSockets) {
        try {
          Thread.sleep(FULL_POLL);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while waiting for a connection slot", e);
        }
      }
    }
  }

  /** Counts a connection just accepted and starts its handshake deadline. */
  void accepted(SSLSocket socket) {
    Ends ends = new Ends(socket.getLocalSocketAddress(), socket.getRemoteSocketAddress());
    open.put(ends, socket);
    timer.schedule(() -> expire(ends, socket), timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /**
   * The socket accepted for {@code connection} while it is open; empty for a connection this
   * listener did not accept.
   */
  public Optional<SSLSocket> socketOf(SocketContext connection) {
    Ends ends = new Ends(connection.localPeer().address(), connection.remotePeer().address());
    return Optional.ofNullable(open.get(ends)).filter(socket -> !socket.isClosed());
  }

  private void expire(Ends ends, SSLSocket socket) {
    if (socket.isClosed()) {
      open.remove(ends, socket);
      return;
    }
    if (socket.getApplicationProtocol() != null) {
      return;
    }
    metrics.handshakeTimeout();
    try {
      socket.close();
    } catch (IOException e) {
      // closing is all we wanted; the handshake read fails either way
    }
    open.remove(ends, socket);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }

  /** A TCP connection's two addresses, which tell it from every other one open. */
  private record Ends(SocketAddress local, SocketAddress remote) {}
}
