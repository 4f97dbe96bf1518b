package dev.tollgate.gateway.proxy;

import io.helidon.common.socket.SocketOptions;
import io.helidon.common.tls.Tls;
import io.helidon.webclient.api.ConnectionKey;
import io.helidon.webclient.api.Proxy;
import io.helidon.webclient.api.TcpClientConnection;
import io.helidon.webclient.api.WebClient;
import io.helidon.webclient.api.WebClientConfig;
import io.helidon.webclient.http1.Http1Client;
import java.net.URI;
import java.util.List;

/**
 * Connections for protocol upgrades (WebSocket): each is new, carries one handshake and then the
 * switched protocol's bytes, and is never pooled. These stay on Helidon's client, whose connection
 * hands the tunnel its reader and writer; pooled request/response traffic uses the gateway's own
 * exchange ({@link UpstreamConnections}).
 *
 * <p>The sockets have TCP_NODELAY: a tunnel is written in the chunks it arrives in, and with
 * Nagle's algorithm the last chunk of a message waited for the peer's delayed ACK. Echoing 1 MiB
 * WebSocket messages went from 28 to 54 MiB/s each way with it (WebSocketBenchmark).
 */
public final class TunnelConnections {
  /** Built once: a Tls builder per new connection cost more than the connect itself. */
  private static final Tls PLAIN = Tls.builder().enabled(false).build();

  private final WebClient client;

  public TunnelConnections(WebClient upstreamClient) {
    WebClientConfig config = upstreamClient.prototype();
    this.client =
        WebClient.builder()
            .from(config)
            .socketOptions(
                SocketOptions.builder().from(config.socketOptions()).tcpNoDelay(true).build())
            .build();
  }

  Http1Client http1() {
    return client.client(Http1Client.PROTOCOL);
  }

  /** A new connection to {@code endpoint}, closed when released. */
  TcpClientConnection open(URI endpoint) {
    return TcpClientConnection.create(client, key(endpoint), List.of(), released -> false, c -> {})
        .connect();
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
}
