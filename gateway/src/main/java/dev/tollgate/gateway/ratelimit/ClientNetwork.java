package dev.tollgate.gateway.ratelimit;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The client address as a {@code clientIP} key part sees it: an IPv4 address as it is, an IPv6
 * address cut to its network prefix ({@code TOLLGATE_CLIENT_IPV6_PREFIX}, default 64). One IPv6
 * subscriber is usually given a whole /64 (RFC 6177) and picks a new address from it at will, so
 * per-address buckets would give one client 2^64 of them.
 *
 * @param network the address with the bits past the prefix cleared
 * @param prefixBits the prefix length kept (32 for IPv4, up to 128 for IPv6)
 */
record ClientNetwork(InetAddress network, int prefixBits) {
  static ClientNetwork of(InetAddress address, int ipv6PrefixBits) {
    if (!(address instanceof Inet6Address) || ipv6PrefixBits >= 128) {
      return new ClientNetwork(address, address.getAddress().length * 8);
    }
    byte[] bytes = address.getAddress();
    for (int bit = ipv6PrefixBits; bit < 128; bit++) {
      bytes[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
    }
    try {
      return new ClientNetwork(InetAddress.getByAddress(bytes), ipv6PrefixBits);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("16 bytes are always an address", e);
    }
  }

  /** {@code 203.0.113.9}, {@code 2001:db8:0:7:0:0:0:0/64}, or a full IPv6 address at /128. */
  String keyValue() {
    String host = network.getHostAddress();
    return prefixBits == network.getAddress().length * 8 ? host : host + "/" + prefixBits;
  }
}
