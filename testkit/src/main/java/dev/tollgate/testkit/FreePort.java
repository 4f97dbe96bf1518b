package dev.tollgate.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Picks unused loopback ports for servers that tests start themselves. */
public final class FreePort {
  private FreePort() {}

  /**
   * Returns a port that was free on 127.0.0.1 a moment ago. The caller's server binds it soon
   * after; a clash is possible but rare, and callers that can should retry on bind failure.
   */
  public static int pick() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free loopback port", e);
    }
  }
}
