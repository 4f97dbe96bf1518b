package dev.tollgate.gateway.grpc;

import dev.tollgate.api.v1alpha1.RouteBackend.Protocol;
import dev.tollgate.gateway.tls.CaBundle;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import java.net.URI;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLException;

/**
 * One grpc-java channel per upstream endpoint and protocol, created on first use and shut down when
 * a configuration no longer names the endpoint.
 *
 * <p>Why grpc-java and not an HTTP/2 client of our own: Helidon's HTTP/2 client is not available at
 * the Helidon version the gateway uses, and a hand-written one on netty-codec-http2 would have to
 * get right what grpc-java's transport already does: h2c with prior knowledge and h2 with ALPN,
 * connection-level and stream-level flow control tied to how fast the gateway consumes messages
 * ({@code request(1)}), many concurrent streams on one connection, keepalive, reconnect with
 * backoff, deadlines sent as {@code grpc-timeout}, and bounded message and metadata sizes. The cost
 * is that messages are re-framed: the gateway reads each length-prefixed message and hands it to
 * the channel, so compressed request messages are not relayed (see {@link GrpcMessageReader}).
 */
public final class GrpcChannels implements AutoCloseable {
  /** gRPC's own default limit for a received message (grpc-java, grpc-go). */
  public static final int MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

  private final Duration connectTimeout;
  private final Duration idleTimeout;
  private final int maxMetadataBytes;
  private final Optional<SslContext> trust;
  private final Map<Key, ManagedChannel> channels = new ConcurrentHashMap<>();

  /**
   * Held to create, retire or close channels; a call finds its channel without it. A lock, not a
   * monitor: on Java 21 a virtual thread waiting for a monitor pins its carrier thread, and a burst
   * of first calls would wait on both carriers of a 2-core pod.
   */
  private final ReentrantLock changes = new ReentrantLock();

  private record Key(URI endpoint, Protocol protocol) {}

  /**
   * @param idleTimeout a channel without calls for this long closes its connection (and reconnects
   *     on the next call)
   * @param maxMetadataBytes largest header or trailer block accepted from an upstream
   * @param upstreamCaFile {@code TOLLGATE_UPSTREAM_CA_FILE}: the CAs {@code h2} upstreams are
   *     verified against, as for HTTPS upstreams; empty = the JVM's default trust store
   * @throws IllegalArgumentException when the CA bundle cannot be read
   */
  public GrpcChannels(
      Duration connectTimeout,
      Duration idleTimeout,
      int maxMetadataBytes,
      Optional<Path> upstreamCaFile) {
    this.connectTimeout = connectTimeout;
    this.idleTimeout = idleTimeout;
    this.maxMetadataBytes = maxMetadataBytes;
    this.trust = upstreamCaFile.map(GrpcChannels::trusting);
  }

  /** Host names are verified too: grpc-java checks the certificate against the endpoint's host. */
  private static SslContext trusting(Path caFile) {
    try {
      return GrpcSslContexts.forClient()
          .trustManager(
              CaBundle.read("TOLLGATE_UPSTREAM_CA_FILE", caFile).toArray(new X509Certificate[0]))
          .build();
    } catch (SSLException e) {
      throw new IllegalArgumentException("TOLLGATE_UPSTREAM_CA_FILE: " + e.getMessage(), e);
    }
  }

  ManagedChannel channel(URI endpoint, Protocol protocol) {
    Key key = new Key(endpoint, protocol);
    ManagedChannel channel = channels.get(key);
    if (channel != null) {
      return channel;
    }
    changes.lock();
    try {
      channel = channels.get(key);
      if (channel == null) {
        channel = open(key);
        channels.put(key, channel);
      }
      return channel;
    } finally {
      changes.unlock();
    }
  }

  private ManagedChannel open(Key key) {
    String host = key.endpoint().getHost();
    if (host.startsWith("[")) {
      host = host.substring(1, host.length() - 1);
    }
    NettyChannelBuilder builder =
        NettyChannelBuilder.forAddress(host, key.endpoint().getPort())
            .withOption(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeout.toMillis())
            .idleTimeout(idleTimeout.toMillis(), TimeUnit.MILLISECONDS)
            .maxInboundMessageSize(MAX_MESSAGE_BYTES)
            .maxInboundMetadataSize(maxMetadataBytes)
            // The gateway never replays a call: grpc-java's configurable retries would send a
            // message twice. (Its transparent retry of a stream the upstream never saw stays on.)
            .disableRetry()
            // The listener only hands events to the call's own thread (CallRelay): no work for an
            // executor hop.
            .directExecutor()
            .userAgent("tollgate");
    if (key.protocol() == Protocol.H2) {
      builder.useTransportSecurity();
      trust.ifPresent(builder::sslContext);
    } else {
      builder.usePlaintext();
    }
    return builder.build();
  }

  /** Shuts down the channels of endpoints not in {@code inUse}; calls in progress finish. */
  public void retainOnly(Set<URI> inUse) {
    changes.lock();
    try {
      channels
          .entrySet()
          .removeIf(
              entry -> {
                if (inUse.contains(entry.getKey().endpoint())) {
                  return false;
                }
                entry.getValue().shutdown();
                return true;
              });
    } finally {
      changes.unlock();
    }
  }

  @Override
  public void close() {
    changes.lock();
    try {
      channels.values().forEach(ManagedChannel::shutdownNow);
      channels.clear();
    } finally {
      changes.unlock();
    }
  }
}
