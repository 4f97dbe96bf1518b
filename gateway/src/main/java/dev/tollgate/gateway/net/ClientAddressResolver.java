package dev.tollgate.gateway.net;

import dev.tollgate.rules.IpLiteral;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;

/**
 * The client's IP address: the TCP peer, or, when the peer is a trusted proxy, the right-most
 * {@code X-Forwarded-For} hop that is not itself a trusted proxy. Hops left of an untrusted one are
 * ignored because anyone can write them. A hop may carry a port, which is dropped.
 */
public final class ClientAddressResolver {
  private final TrustedProxies trusted;

  public ClientAddressResolver(TrustedProxies trusted) {
    this.trusted = trusted;
  }

  public boolean isTrusted(InetAddress peer) {
    return trusted.contains(peer);
  }

  /**
   * @param peer the TCP peer
   * @param forwardedFor all {@code X-Forwarded-For} header values in order
   */
  public InetAddress resolve(InetAddress peer, List<String> forwardedFor) {
    if (trusted.isEmpty() || !trusted.contains(peer)) {
      return peer;
    }
    InetAddress client = peer;
    for (int v = forwardedFor.size() - 1; v >= 0; v--) {
      String[] hops = forwardedFor.get(v).split(",");
      for (int i = hops.length - 1; i >= 0; i--) {
        InetAddress hop = hopAddress(hops[i].trim());
        if (hop == null) {
          return client;
        }
        client = hop;
        if (!trusted.contains(hop)) {
          return hop;
        }
      }
    }
    return client;
  }

  /**
   * The address of one hop, with or without a port: some load balancers write {@code
   * 203.0.113.9:4711} or {@code [2001:db8::1]:4711} (Azure's Application Gateway does by default),
   * and read as no address at all such a hop made every client behind them the proxy itself, one
   * bucket for all. A bare IPv6 address has several colons and is taken whole.
   */
  static InetAddress hopAddress(String hop) {
    int colon = hop.lastIndexOf(':');
    if (colon > 0 && isPort(hop, colon + 1)) {
      boolean bracketed = hop.startsWith("[") && hop.charAt(colon - 1) == ']';
      if (bracketed || hop.indexOf(':') == colon) {
        return IpLiteral.parseOrNull(hop.substring(0, colon));
      }
    }
    return IpLiteral.parseOrNull(hop);
  }

  private static boolean isPort(String text, int from) {
    int digits = text.length() - from;
    if (digits < 1 || digits > 5) {
      return false;
    }
    for (int i = from; i < text.length(); i++) {
      if (text.charAt(i) < '0' || text.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  public static InetAddress peerAddress(SocketAddress address) {
    if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
      return inet.getAddress();
    }
    return InetAddress.getLoopbackAddress();
  }
}
