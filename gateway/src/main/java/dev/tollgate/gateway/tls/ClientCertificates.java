package dev.tollgate.gateway.tls;

import io.helidon.webserver.http.ServerRequest;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;

/**
 * The client certificate of a request on the HTTPS listener. JSSE only completes a handshake with a
 * client certificate that verified against {@code TOLLGATE_TLS_CLIENT_CA_FILE}, so a certificate
 * seen here is a verified one.
 */
public final class ClientCertificates {
  private ClientCertificates() {}

  /**
   * The subject of the client's leaf certificate as an RFC 2253 name ({@code CN=team-a,O=example});
   * empty on plain HTTP and for clients that presented none. Helidon reads the peer certificates
   * once per connection.
   */
  public static Optional<String> subject(ServerRequest request) {
    if (!request.isSecure()) {
      return Optional.empty();
    }
    return request
        .remotePeer()
        .tlsCertificates()
        .filter(chain -> chain.length > 0)
        .map(chain -> chain[0])
        .filter(X509Certificate.class::isInstance)
        .map(ClientCertificates::subjectOf);
  }

  private static String subjectOf(Certificate leaf) {
    return ((X509Certificate) leaf).getSubjectX500Principal().getName(X500Principal.RFC2253);
  }
}
