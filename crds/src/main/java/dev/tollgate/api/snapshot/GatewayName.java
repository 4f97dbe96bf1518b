package dev.tollgate.api.snapshot;

import java.util.regex.Pattern;

/**
 * The rule for a gateway instance name {@code <gw>} ({@code TOLLGATE_GATEWAY_NAME}, the Helm
 * release): a DNS label, so it is safe in every Redis key and never contains the braces that would
 * end a {@code {<gw>}} hash tag early. The operator, the gateway's config source and the limiter
 * check it here, once.
 */
public final class GatewayName {
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

  private GatewayName() {}

  /**
   * @return {@code name}
   * @throws IllegalArgumentException naming {@code TOLLGATE_GATEWAY_NAME} when it is not a DNS
   *     label
   */
  public static String require(String name) {
    if (name == null || !DNS_LABEL.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "TOLLGATE_GATEWAY_NAME="
              + name
              + ": expected a DNS label (lower-case letters, digits and '-', at most 63)");
    }
    return name;
  }
}
