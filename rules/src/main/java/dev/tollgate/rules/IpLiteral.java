package dev.tollgate.rules;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * IP address literals as text: parsed without ever asking DNS. The text may come from a client
 * ({@code X-Forwarded-For}) or from a tenant's resource, and {@link InetAddress#getByName} sends
 * whatever it cannot read as an address to the resolver ({@code 999.1.1.1}, {@code g::1}): one DNS
 * query per request a client shapes, or a configuration build waiting on a resolver that is down.
 */
public final class IpLiteral {
  private IpLiteral() {}

  /**
   * The address {@code text} is the literal of, else null: IPv4 in dotted decimal (four numbers
   * 0-255 without leading zeros, as Kubernetes writes them) or IPv6 ({@code [..]} allowed, no
   * zone). Resolvers also read other IPv4 forms ({@code 10.1} as 10.0.0.1; {@code 010.1.1.1} as
   * 10.1.1.1 here, as 8.1.1.1 in C libraries): those are no literal here, see {@link #isNumeric}.
   */
  public static InetAddress parseOrNull(String text) {
    if (text.length() > 2 && text.charAt(0) == '[' && text.charAt(text.length() - 1) == ']') {
      return ipv6OrNull(text.substring(1, text.length() - 1));
    }
    return text.indexOf(':') >= 0 ? ipv6OrNull(text) : ipv4OrNull(text);
  }

  /**
   * Whether {@code text} is digits and dots only. No such text is a DNS name (no top-level domain
   * is numeric), but resolvers read it as an IPv4 address, in forms other than dotted decimal too:
   * a host that is numeric and no {@link #parseOrNull literal} reaches an address no rule judged.
   */
  public static boolean isNumeric(String text) {
    if (text.isEmpty()) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c != '.' && (c < '0' || c > '9')) {
        return false;
      }
    }
    return true;
  }

  private static InetAddress ipv4OrNull(String text) {
    byte[] bytes = new byte[4];
    int part = 0;
    int start = 0;
    for (int i = 0; i <= text.length(); i++) {
      if (i < text.length() && text.charAt(i) != '.') {
        continue;
      }
      int octet = octetOrMinusOne(text, start, i);
      if (part == 4 || octet < 0) {
        return null;
      }
      bytes[part++] = (byte) octet;
      start = i + 1;
    }
    return part == 4 ? addressOf(bytes) : null;
  }

  /** The decimal octet {@code text[from, to)} spells (no leading zero), or -1. */
  private static int octetOrMinusOne(String text, int from, int to) {
    int digits = to - from;
    if (digits < 1 || digits > 3 || (digits > 1 && text.charAt(from) == '0')) {
      return -1;
    }
    int value = 0;
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value <= 255 ? value : -1;
  }

  private static InetAddress ipv6OrNull(String text) {
    // Only hex digits, colons and dots (an embedded IPv4 tail), starting with a hex digit or a
    // colon: InetAddress reads such text as a literal or refuses it, and never looks it up.
    if (text.isEmpty() || text.charAt(0) == '.' || text.indexOf(':') < 0) {
      return null;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c != ':' && c != '.' && Character.digit(c, 16) < 0) {
        return null;
      }
    }
    try {
      return InetAddress.getByName(text);
    } catch (UnknownHostException e) {
      return null;
    }
  }

  private static InetAddress addressOf(byte[] bytes) {
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("four bytes are an IPv4 address", e);
    }
  }
}
