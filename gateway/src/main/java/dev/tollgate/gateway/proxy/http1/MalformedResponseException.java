package dev.tollgate.gateway.proxy.http1;

import java.io.IOException;

/** An upstream response that breaks HTTP/1.1 framing; the connection it came on is closed. */
public final class MalformedResponseException extends IOException {
  MalformedResponseException(String message) {
    super(message);
  }
}
