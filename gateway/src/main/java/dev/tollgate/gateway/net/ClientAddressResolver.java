package dev.tollgate.gateway.net;

import dev.tollgate.rules.AddressBlocks;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;

/**
 * The client's IP address: the TCP peer, or, when the peer is a trusted proxy, the right-most
 * {@code X-Forwarded-For} hop that is not itself a trusted proxy. Hops left of an untrusted one are
 * ignored because anyone can write them.
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
        InetAddress hop = AddressBlocks.literalOrNull(hops[i].trim());
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

  public static InetAddress peerAddress(SocketAddress address) {
    if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
      return inet.getAddress();
    }
    return InetAddress.getLoopbackAddress();
  }
}
