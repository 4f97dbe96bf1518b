package dev.tollgate.gateway.support;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * A real WebSocket server (Jetty 12) on a free loopback port: {@code /echo} sends every text and
 * binary message back; {@code /firehose} sends 64 KiB binary messages one after the other, each
 * once the previous one was written, for as long as the connection takes them; {@code /refuse}
 * answers the handshake 403. It records the headers of each handshake it accepted.
 */
public final class WebSocketEchoServer implements AutoCloseable {
  /** Messages up to this size are accepted (the default is 64 KiB). */
  public static final int MAX_MESSAGE = 8 * 1024 * 1024;

  private final Server server;
  private final BlockingQueue<Map<String, String>> handshakes = new LinkedBlockingQueue<>();
  private final AtomicLong firehoseBytes = new AtomicLong();

  private WebSocketEchoServer() throws Exception {
    server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    server.setHandler(
        WebSocketUpgradeHandler.from(
            server,
            container -> {
              container.setMaxTextMessageSize(MAX_MESSAGE);
              container.setMaxBinaryMessageSize(MAX_MESSAGE);
              // the gateway's idle timeout is under test, not Jetty's
              container.setIdleTimeout(Duration.ofMinutes(5));
              container.addMapping(
                  "/echo",
                  (request, response, callback) -> {
                    handshakes.add(
                        Map.of(
                            "x-request-id",
                                String.valueOf(request.getHeaders().get("X-Request-Id")),
                            "x-forwarded-for",
                                String.valueOf(request.getHeaders().get("X-Forwarded-For")),
                            "traceparent", String.valueOf(request.getHeaders().get("traceparent")),
                            "origin", String.valueOf(request.getHeaders().get("Origin")),
                            "x-forwarded-host",
                                String.valueOf(request.getHeaders().get("X-Forwarded-Host")),
                            "path", request.getHttpURI().getPath()));
                    return new Echo();
                  });
              container.addMapping(
                  "/firehose", (request, response, callback) -> new Firehose(firehoseBytes));
              container.addMapping(
                  "/refuse",
                  (request, response, callback) -> {
                    response.setStatus(403);
                    callback.succeeded();
                    return null;
                  });
            }));
    server.start();
  }

  public static WebSocketEchoServer start() {
    try {
      return new WebSocketEchoServer();
    } catch (Exception e) {
      throw new IllegalStateException("Jetty did not start", e);
    }
  }

  /** {@code http://127.0.0.1:port}, for a route's endpoint list. */
  public String url() {
    return "http://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort();
  }

  /** Bytes of messages {@code /firehose} connections have written so far. */
  public long firehoseBytes() {
    return firehoseBytes.get();
  }

  /** The headers of accepted handshakes, oldest first. */
  public BlockingQueue<Map<String, String>> handshakes() {
    return handshakes;
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException("Jetty did not stop", e);
    }
  }

  /** Sends message after message, each once the previous one was written, until that fails. */
  public static final class Firehose implements Session.Listener.AutoDemanding {
    private static final int MESSAGE = 64 * 1024;
    private final AtomicLong sent;

    Firehose(AtomicLong sent) {
      this.sent = sent;
    }

    @Override
    public void onWebSocketOpen(Session session) {
      Thread.ofVirtual()
          .start(
              () -> {
                try {
                  while (session.isOpen()) {
                    Callback.Completable written = new Callback.Completable();
                    session.sendBinary(ByteBuffer.allocate(MESSAGE), written);
                    written.get(1, TimeUnit.MINUTES);
                    sent.addAndGet(MESSAGE);
                  }
                } catch (Exception e) {
                  // the connection closed or stalled: the firehose stops
                }
              });
    }
  }

  /** Sends every message back as it came; Jetty answers pings itself. */
  public static final class Echo implements Session.Listener.AutoDemanding {
    private Session session;

    @Override
    public void onWebSocketOpen(Session session) {
      this.session = session;
    }

    @Override
    public void onWebSocketText(String message) {
      session.sendText(message, Callback.NOOP);
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
      session.sendBinary(payload, callback);
    }
  }
}
