package dev.tollgate.gateway.net;

import dev.tollgate.rules.AddressBlocks;
import java.net.InetAddress;

/**
 * The CIDR blocks ({@code TOLLGATE_TRUSTED_PROXIES}) whose {@code X-Forwarded-*} headers are
 * believed. Only literal IPv4/IPv6 addresses are accepted ({@link AddressBlocks}): a host name here
 * would be resolved at start and silently go stale.
 */
public final class TrustedProxies {
  public static final TrustedProxies NONE = new TrustedProxies(AddressBlocks.NONE);

  private final AddressBlocks blocks;

  private TrustedProxies(AddressBlocks blocks) {
    this.blocks = blocks;
  }

  /** Parses {@code 10.0.0.0/8, 192.168.1.7, fd00::/8}; a bare address is a /32 or /128. */
  public static TrustedProxies parse(String cidrs) {
    AddressBlocks blocks = AddressBlocks.parse(cidrs);
    return blocks.isEmpty() ? NONE : new TrustedProxies(blocks);
  }

  public boolean isEmpty() {
    return blocks.isEmpty();
  }

  public boolean contains(InetAddress address) {
    return blocks.contains(address);
  }
}
