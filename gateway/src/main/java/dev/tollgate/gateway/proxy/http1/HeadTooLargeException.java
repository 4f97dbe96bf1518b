package dev.tollgate.gateway.proxy.http1;

import java.io.IOException;

/** An upstream response head, or one line of chunk framing, longer than the gateway accepts. */
public final class HeadTooLargeException extends IOException {
  HeadTooLargeException(int limit) {
    super("upstream response head longer than " + limit + " bytes");
  }
}
