package dev.tollgate.gateway.tls;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The certificates the HTTPS listener serves at one moment, the default first. A handshake gets the
 * first certificate naming the requested server name exactly, else the first one whose wildcard
 * covers it ({@code *.example.com} covers {@code a.example.com}, not {@code a.b.example.com} nor
 * {@code example.com}, as RFC 6125 says), else the default. An empty set (certificates expected
 * from a bundle not written yet) selects nothing, so every handshake fails.
 */
public record CertificateSet(List<ServerCertificate> certificates) {

  public CertificateSet {
    certificates = List.copyOf(certificates);
  }

  /** The first certificate; empty when the set is. */
  public Optional<ServerCertificate> defaultCertificate() {
    return certificates.stream().findFirst();
  }

  /**
   * The certificate for a handshake.
   *
   * @param serverName the SNI host name, or null when the client sent none
   * @param keyType a key type the client accepts ({@code RSA}, {@code EC}, ...)
   * @return empty when no certificate of that key type applies (JSSE then asks for another type)
   */
  public Optional<ServerCertificate> select(String serverName, String keyType) {
    if (serverName != null) {
      String name = serverName.toLowerCase(Locale.ROOT);
      Optional<ServerCertificate> exact = named(name, keyType);
      if (exact.isPresent()) {
        return exact;
      }
      int dot = name.indexOf('.');
      if (dot > 0) {
        Optional<ServerCertificate> wildcard = named("*" + name.substring(dot), keyType);
        if (wildcard.isPresent()) {
          return wildcard;
        }
      }
    }
    return defaultCertificate().filter(c -> c.keyType().equals(keyType));
  }

  private Optional<ServerCertificate> named(String name, String keyType) {
    return certificates.stream()
        .filter(c -> c.keyType().equals(keyType) && c.names().contains(name))
        .findFirst();
  }

  /** The certificate with that {@link ServerCertificate#alias()}, if this set holds it. */
  public Optional<ServerCertificate> withAlias(String alias) {
    return certificates.stream().filter(c -> c.alias().equals(alias)).findFirst();
  }
}
