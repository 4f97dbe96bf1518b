package dev.tollgate.gateway.proxy.http1;

import java.io.IOException;

/**
 * A body without {@code Content-Length} or chunked coding: it ends when the upstream closes the
 * connection (RFC 9112, 6.3; CGI servers such as busybox httpd answer so).
 */
final class UntilCloseBody extends MessageBody {
  private final WireInput input;

  UntilCloseBody(WireInput input, Runnable atEnd) {
    super(atEnd);
    this.input = input;
  }

  @Override
  int readBody(byte[] target, int offset, int length) throws IOException {
    return input.read(target, offset, length);
  }
}
