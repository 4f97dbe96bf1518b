package dev.tollgate.gateway.edge;

import io.helidon.http.HttpPrologue;
import io.helidon.http.WritableHeaders;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.spi.Http1Upgrader;
import io.helidon.webserver.http2.Http2Config;
import io.helidon.webserver.http2.Http2Upgrader;
import io.helidon.webserver.spi.ServerConnection;

/**
 * Helidon's {@code Upgrade: h2c} from HTTP/1.1, with the HTTP/2 connection it makes run on a {@link
 * StreamTrackingContext}, so that its streams are under the same client limits as those of a
 * connection that started as HTTP/2.
 */
final class TrackedH2cUpgrader implements Http1Upgrader {
  private final Http1Upgrader h2c;
  private final ClientConnections connections;

  TrackedH2cUpgrader(Http2Config config, ClientConnections connections) {
    this.h2c = Http2Upgrader.create(config);
    this.connections = connections;
  }

  @Override
  public String supportedProtocol() {
    return h2c.supportedProtocol();
  }

  /** Called on the connection's own thread, where {@link ClientConnections} knows it. */
  @Override
  public ServerConnection upgrade(
      ConnectionContext context, HttpPrologue prologue, WritableHeaders<?> headers) {
    return h2c.upgrade(connections.streamTracking(context), prologue, headers);
  }
}
