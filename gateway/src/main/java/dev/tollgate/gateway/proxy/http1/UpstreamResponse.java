package dev.tollgate.gateway.proxy.http1;

import io.helidon.http.Headers;
import java.io.InputStream;
import java.util.function.Consumer;

/**
 * An upstream's answer: status and headers, and the body as a stream. When the body has been read
 * to its end the connection goes back to its pool (if its framing allows reuse); {@link #close()}
 * before that closes the connection instead, since the rest of the body is still on it.
 */
public final class UpstreamResponse implements AutoCloseable {
  private final int status;
  private final Headers headers;
  private final UpstreamSocket socket;
  private final boolean reusable;
  private final Consumer<UpstreamSocket> release;
  private final MessageBody body;
  private boolean done;

  UpstreamResponse(
      ResponseHead head,
      BodyFraming framing,
      UpstreamSocket socket,
      Consumer<UpstreamSocket> release) {
    this.status = head.status();
    this.headers = head.headers();
    this.socket = socket;
    this.reusable = framing.reusable();
    this.release = release;
    WireInput input = socket.input();
    this.body =
        switch (framing.kind()) {
          case NONE -> new LengthBody(input, 0, this::bodyEnded);
          case LENGTH -> new LengthBody(input, framing.length(), this::bodyEnded);
          case CHUNKED -> new ChunkedBody(input, socket.maxHeadSize(), this::bodyEnded);
          case UNTIL_CLOSE -> new UntilCloseBody(input, this::bodyEnded);
        };
  }

  public int status() {
    return status;
  }

  public Headers headers() {
    return headers;
  }

  /** The body, decoded from its framing; ends (-1) at the end of the message. */
  public InputStream body() {
    return body;
  }

  private void bodyEnded() {
    if (done) {
      return;
    }
    done = true;
    if (reusable && socket.isReusable()) {
      release.accept(socket);
    } else {
      socket.close();
    }
  }

  /** Closes the connection unless the body was read to its end; idempotent. */
  @Override
  public void close() {
    if (!done) {
      done = true;
      socket.close();
    }
  }
}
