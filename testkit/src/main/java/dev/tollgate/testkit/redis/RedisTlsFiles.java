package dev.tollgate.testkit.redis;

import dev.tollgate.testkit.FreePort;
import dev.tollgate.testkit.OpensslCertificate;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.List;

/**
 * What a TLS port of {@code redis-server} needs, and what a client needs to trust it: a throw-away
 * CA, a server certificate it signs for the IP address 127.0.0.1 only (so {@code localhost}, which
 * reaches the same server, is a name the certificate does not hold), and a PKCS12 trust store
 * holding the CA for {@code javax.net.ssl.trustStore}.
 *
 * @param dir where the files are
 * @param tlsPort the free port the server is to listen on with TLS
 */
public record RedisTlsFiles(Path dir, int tlsPort) {
  public static final String TRUST_STORE_PASSWORD = "changeit";

  /** Issues the CA and the server certificate under {@code dir} and writes the trust store. */
  public static RedisTlsFiles issue(Path dir) {
    OpensslCertificate ca =
        new OpensslCertificate(dir.resolve("ca.crt"), dir.resolve("ca.key"))
            .selfSigned("/CN=tollgate-test-ca");
    new OpensslCertificate(dir.resolve("server.crt"), dir.resolve("server.key"))
        .signedBy(ca, "/CN=127.0.0.1", "subjectAltName=IP:127.0.0.1");
    RedisTlsFiles files = new RedisTlsFiles(dir, FreePort.pick());
    files.writeTrustStore();
    return files;
  }

  /** Arguments for {@link RedisServer#start(List)}: TLS on {@link #tlsPort}, no client certs. */
  public List<String> serverArgs() {
    return List.of(
        "--tls-port", Integer.toString(tlsPort),
        "--tls-cert-file", dir.resolve("server.crt").toString(),
        "--tls-key-file", dir.resolve("server.key").toString(),
        "--tls-ca-cert-file", dir.resolve("ca.crt").toString(),
        "--tls-auth-clients", "no");
  }

  public Path trustStore() {
    return dir.resolve("trust.p12");
  }

  private void writeTrustStore() {
    try (InputStream ca = Files.newInputStream(dir.resolve("ca.crt"));
        OutputStream out = Files.newOutputStream(trustStore())) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setCertificateEntry(
          "ca", CertificateFactory.getInstance("X.509").generateCertificate(ca));
      store.store(out, TRUST_STORE_PASSWORD.toCharArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
