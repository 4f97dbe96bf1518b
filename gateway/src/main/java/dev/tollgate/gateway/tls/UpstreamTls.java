package dev.tollgate.gateway.tls;

import io.helidon.common.tls.Tls;
import java.nio.file.Path;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * TLS towards {@code https://} upstream endpoints. Certificates are always verified, host name
 * included: against {@code TOLLGATE_UPSTREAM_CA_FILE} when it is set (an internal CA, e.g. a
 * cert-manager issuer's {@code ca.crt}), else against the JVM's default trust store. There is no
 * setting that turns verification off; an upstream whose certificate does not verify is answered
 * 502 like one that refuses connections.
 */
public final class UpstreamTls {
  private static final String SETTING = "TOLLGATE_UPSTREAM_CA_FILE";

  private UpstreamTls() {}

  /**
   * @throws IllegalArgumentException when the bundle cannot be read
   */
  public static Tls trusting(Path caFile) {
    return CaBundle.trustOnly(SETTING, caFile);
  }

  /**
   * The same trust as an {@link SSLContext}, for the gateway's own upstream connections: the bundle
   * in {@code caFile}, else the JVM's default trust store. Host names are verified per connection.
   *
   * @throws IllegalArgumentException when the bundle cannot be read
   */
  public static SSLContext context(Optional<Path> caFile) {
    return CaBundle.clientContext(SETTING, caFile);
  }
}
