package dev.tollgate.gateway.proxy;

import io.helidon.common.socket.SocketOptions;
import io.helidon.common.tls.Tls;
import io.helidon.webclient.api.ConnectionKey;
import io.helidon.webclient.api.Proxy;
import io.helidon.webclient.api.TcpClientConnection;
import io.helidon.webclient.api.WebClient;
import io.helidon.webclient.api.WebClientConfig;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;

/**
 * Keep-alive connections to upstream endpoints, one idle stack per endpoint.
 *
 * <p>Why not the client's own cache: Helidon 4.3's HTTP/1 connection cache offers a returned
 * connection to other requests before it starts the connection's idle monitor, and the monitor then
 * reads one byte concurrently with the new owner: the first byte of that owner's response is lost
 * ("Protocol is not HTTP: TTP"; 1 to 3 requests in 30,000 under concurrency). This pool hands a
 * connection to exactly one request at a time and never starts the monitor. Instead, a connection
 * idle longer than {@code maxIdle} (which should stay below the upstreams' keep-alive timeouts) is
 * closed rather than reused. Idle connections are reused last-in first-out, so under light load the
 * surplus ages out.
 *
 * <p>Idle connections are also closed without waiting for a request to find them: every {@code
 * maxIdle / 2} a sweeper closes those past {@code maxIdle}, and when a configuration drops an
 * endpoint ({@link #retainOnly}) its connections are closed at once. An upstream that closes an
 * idle connection leaves our end in CLOSE_WAIT until we close it too; without both, every rollout
 * (old pods gone, their endpoints out of the config) left such sockets behind for good.
 */
public final class UpstreamConnections implements AutoCloseable {
  private static final Duration MIN_SWEEP_PERIOD = Duration.ofSeconds(1);

  /** Built once: a Tls builder per new connection cost more than the connect itself. */
  private static final Tls PLAIN = Tls.builder().enabled(false).build();

  private final WebClient client;
  private final WebClient tunnelClient;
  private final long maxIdleNanos;
  private final int maxIdlePerEndpoint;
  private final Map<URI, LinkedBlockingDeque<Idle>> idle = new ConcurrentHashMap<>();
  private final ScheduledExecutorService sweeper =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("tollgate-upstream-sweeper").daemon().factory());

  /** Endpoints of the configuration being served; null until the first one is applied. */
  private volatile Set<URI> live;

  private record Idle(TcpClientConnection connection, long sinceNanos) {}

  /** A connection for one request; {@code reused} tells a stale keep-alive from a fresh one. */
  public record Lease(TcpClientConnection connection, boolean reused) {}

  /**
   * @param maxIdle idle connections older than this are closed instead of reused
   * @param maxIdlePerEndpoint idle connections kept per endpoint; more are closed on release
   */
  public UpstreamConnections(WebClient client, Duration maxIdle, int maxIdlePerEndpoint) {
    this.client = client;
    this.tunnelClient = withoutDelayedWrites(client);
    this.maxIdleNanos = maxIdle.toNanos();
    this.maxIdlePerEndpoint = maxIdlePerEndpoint;
    Duration period = maxIdle.dividedBy(2);
    long periodNanos = Math.max(period.toNanos(), MIN_SWEEP_PERIOD.toNanos());
    sweeper.scheduleWithFixedDelay(this::sweep, periodNanos, periodNanos, TimeUnit.NANOSECONDS);
  }

  /** An idle connection to {@code endpoint} ({@code scheme://host:port}), or a new one. */
  public Lease acquire(URI endpoint) {
    LinkedBlockingDeque<Idle> stack = stack(endpoint);
    long now = System.nanoTime();
    Idle candidate;
    while ((candidate = stack.pollFirst()) != null) {
      if (now - candidate.sinceNanos() < maxIdleNanos && candidate.connection().isConnected()) {
        return new Lease(candidate.connection(), true);
      }
      candidate.connection().closeResource();
    }
    TcpClientConnection connection =
        TcpClientConnection.create(
                client, key(endpoint), List.of(), released -> release(endpoint, released), c -> {})
            .connect();
    return new Lease(connection, false);
  }

  /**
   * A new connection to {@code endpoint} that is never pooled: it carries one exchange that takes
   * the connection over (a WebSocket upgrade) and is closed when released.
   */
  public TcpClientConnection dedicated(URI endpoint) {
    return TcpClientConnection.create(
            tunnelClient, key(endpoint), List.of(), released -> false, c -> {})
        .connect();
  }

  /**
   * The client with TCP_NODELAY, for connections that relay a stream: it is written in the chunks
   * it arrives in, and with Nagle's algorithm the last chunk of a message waited for the peer's
   * delayed ACK. Echoing 1 MiB WebSocket messages went from 28 to 54 MiB/s each way with it
   * (WebSocketBenchmark); pooled request/response connections keep the client's defaults.
   */
  private static WebClient withoutDelayedWrites(WebClient client) {
    WebClientConfig config = client.prototype();
    return WebClient.builder()
        .from(config)
        .socketOptions(
            SocketOptions.builder().from(config.socketOptions()).tcpNoDelay(true).build())
        .build();
  }

  private boolean release(URI endpoint, TcpClientConnection connection) {
    Set<URI> current = live;
    if (current != null && !current.contains(endpoint)) {
      return false; // the endpoint left the configuration while this request ran: close
    }
    // false when the stack is full: the connection then closes itself
    return stack(endpoint).offerFirst(new Idle(connection, System.nanoTime()));
  }

  /**
   * Keeps idle connections only for {@code endpoints} (those of the configuration just applied):
   * the others are closed now, and connections still in use by requests to them are closed when
   * those requests finish.
   */
  public void retainOnly(Set<URI> endpoints) {
    live = Set.copyOf(endpoints);
    for (URI endpoint : idle.keySet()) {
      if (!live.contains(endpoint)) {
        LinkedBlockingDeque<Idle> stack = idle.remove(endpoint);
        if (stack != null) {
          closeAll(stack);
        }
      }
    }
  }

  /** Closes idle connections past {@code maxIdle}; the oldest are at the end of each stack. */
  private void sweep() {
    try {
      long now = System.nanoTime();
      for (LinkedBlockingDeque<Idle> stack : idle.values()) {
        Idle oldest;
        while ((oldest = stack.peekLast()) != null && now - oldest.sinceNanos() >= maxIdleNanos) {
          if (stack.removeLastOccurrence(oldest)) {
            oldest.connection().closeResource();
          }
        }
      }
    } catch (RuntimeException e) {
      // a scheduled task that throws is never run again
      LoggerFactory.getLogger(UpstreamConnections.class).warn("Idle connection sweep failed", e);
    }
  }

  private static void closeAll(LinkedBlockingDeque<Idle> stack) {
    Idle entry;
    while ((entry = stack.pollFirst()) != null) {
      entry.connection().closeResource();
    }
  }

  private LinkedBlockingDeque<Idle> stack(URI endpoint) {
    return idle.computeIfAbsent(endpoint, e -> new LinkedBlockingDeque<>(maxIdlePerEndpoint));
  }

  private ConnectionKey key(URI endpoint) {
    WebClientConfig config = client.prototype();
    boolean https = endpoint.getScheme().equals("https");
    return ConnectionKey.create(
        endpoint.getScheme(),
        endpoint.getHost(),
        endpoint.getPort(),
        https ? config.tls() : PLAIN,
        config.dnsResolver(),
        config.dnsAddressLookup(),
        Proxy.noProxy());
  }

  @Override
  public void close() {
    sweeper.shutdownNow();
    idle.values().forEach(UpstreamConnections::closeAll);
  }
}
