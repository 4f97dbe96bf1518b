package dev.tollgate.rules;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * A set of IP address blocks (CIDRs), compared as raw bytes: {@code 10.0.0.0/8, fd00::/8,
 * 192.0.2.7}. Only literal addresses are accepted; a host name here would be resolved once and go
 * stale. Used for the gateway's trusted proxies and for the networks a Route may not send traffic
 * into.
 */
public final class AddressBlocks {
  public static final AddressBlocks NONE = new AddressBlocks(List.of());

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

  private AddressBlocks(List<Block> blocks) {
    this.blocks = List.copyOf(blocks);
  }

  /**
   * Parses comma-separated blocks; a bare address is a /32 or /128.
   *
   * @throws IllegalArgumentException naming the entry that is not a literal address or CIDR
   */
  public static AddressBlocks parse(String cidrs) {
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
    return new AddressBlocks(blocks);
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
    InetAddress parsed = IpLiteral.parseOrNull(address);
    if (parsed == null) {
      throw new IllegalArgumentException("'" + cidr + "' is not an IP address or CIDR block");
    }
    return parsed.getAddress();
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
