package dev.tollgate.gateway.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The CIDR blocks ({@code TOLLGATE_TRUSTED_PROXIES}) whose {@code X-Forwarded-*} headers are
 * believed. Addresses are compared as raw bytes, so only literal IPv4/IPv6 addresses are accepted:
 * a host name here would be resolved at start and silently go stale.
 */
public final class TrustedProxies {
  public static final TrustedProxies NONE = new TrustedProxies(List.of());

  private final List<Block> blocks;

  private record Block(byte[] network, int prefixBits) {
    boolean contains(byte[] address) {
      if (address.length != network.length) {
        return false;
      }
      int full = prefixBits / 8;
      for (int i = 0; i < full; i++) {
        if (address[i] != network[i]) {
          return false;
        }
      }
      int rest = prefixBits % 8;
      if (rest == 0) {
        return true;
      }
      int mask = 0xFF << (8 - rest) & 0xFF;
      return (address[full] & mask) == (network[full] & mask);
    }
  }

  private TrustedProxies(List<Block> blocks) {
    this.blocks = List.copyOf(blocks);
  }

  /** Parses {@code 10.0.0.0/8, 192.168.1.7, fd00::/8}; a bare address is a /32 or /128. */
  public static TrustedProxies parse(String cidrs) {
    if (cidrs == null || cidrs.isBlank()) {
      return NONE;
    }
    List<Block> blocks = new ArrayList<>();
    for (String raw : cidrs.split(",")) {
      String cidr = raw.trim();
      if (cidr.isEmpty()) {
        continue;
      }
      int slash = cidr.indexOf('/');
      String address = slash < 0 ? cidr : cidr.substring(0, slash);
      byte[] bytes = literal(address, cidr);
      int bits = slash < 0 ? bytes.length * 8 : prefixBits(cidr.substring(slash + 1), bytes, cidr);
      blocks.add(new Block(bytes, bits));
    }
    return new TrustedProxies(blocks);
  }

  public boolean isEmpty() {
    return blocks.isEmpty();
  }

  public boolean contains(InetAddress address) {
    byte[] bytes = address.getAddress();
    for (Block block : blocks) {
      if (block.contains(bytes)) {
        return true;
      }
    }
    return false;
  }

  private static byte[] literal(String address, String cidr) {
    boolean looksLiteral = address.contains(":") || address.matches("[0-9.]+");
    if (!looksLiteral) {
      throw new IllegalArgumentException("'" + cidr + "' is not an IP address or CIDR block");
    }
    try {
      return InetAddress.getByName(address).getAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("'" + cidr + "' is not an IP address or CIDR block", e);
    }
  }

  private static int prefixBits(String bits, byte[] address, String cidr) {
    try {
      int value = Integer.parseInt(bits);
      if (value < 0 || value > address.length * 8) {
        throw new IllegalArgumentException("prefix length out of range in '" + cidr + "'");
      }
      return value;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad prefix length in '" + cidr + "'", e);
    }
  }
}
