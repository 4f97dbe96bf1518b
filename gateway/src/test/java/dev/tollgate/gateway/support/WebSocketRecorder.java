package dev.tollgate.gateway.support;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A JDK {@link WebSocket} client listener that collects whole messages, pongs and the end of the
 * WebSocket (its close code, or the error), for tests to wait on.
 */
public final class WebSocketRecorder implements WebSocket.Listener {
  private static final Duration WAIT = Duration.ofSeconds(20);

  private final BlockingQueue<Object> messages = new LinkedBlockingQueue<>();
  private final CompletableFuture<String> ended = new CompletableFuture<>();
  private final StringBuilder text = new StringBuilder();
  private final ByteArrayOutputStream binary = new ByteArrayOutputStream();

  /** Opens a WebSocket to {@code uri} with extra handshake headers (name, value, ...). */
  public static Opened open(URI uri, String... headers) {
    WebSocketRecorder recorder = new WebSocketRecorder();
    WebSocket.Builder builder =
        HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
    for (int i = 0; i < headers.length; i += 2) {
      builder.header(headers[i], headers[i + 1]);
    }
    WebSocket socket = builder.buildAsync(uri, recorder).orTimeout(20, TimeUnit.SECONDS).join();
    return new Opened(socket, recorder);
  }

  /** An open WebSocket and what it received. */
  public record Opened(WebSocket socket, WebSocketRecorder recorder) {}

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    text.append(data);
    if (last) {
      messages.add(text.toString());
      text.setLength(0);
    }
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
    byte[] bytes = new byte[data.remaining()];
    data.get(bytes);
    binary.writeBytes(bytes);
    if (last) {
      messages.add(binary.toByteArray());
      binary.reset();
    }
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
    byte[] bytes = new byte[message.remaining()];
    message.get(bytes);
    messages.add(Map.of("pong", new String(bytes)));
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    ended.complete("close " + statusCode);
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    ended.complete("error " + error);
  }

  /** The next whole message (String, byte[], or a map {@code pong → payload}). */
  public Object next() throws InterruptedException {
    Object message = messages.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
    if (message == null) {
      throw new AssertionError("no WebSocket message within " + WAIT);
    }
    return message;
  }

  /** Completes with {@code close <code>} or {@code error <exception>} when the WebSocket ends. */
  public CompletableFuture<String> ended() {
    return ended;
  }
}
