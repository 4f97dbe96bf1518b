package dev.tollgate.gateway.proxy.http1;

import java.io.IOException;

/**
 * Reading the client's request body failed (the client went away, or its body deadline passed)
 * while it was being sent upstream: the client's failure, not the upstream's.
 */
public final class ClientBodyException extends IOException {
  ClientBodyException(Throwable cause) {
    super("the client's request body could not be read: " + cause.getMessage(), cause);
  }
}
