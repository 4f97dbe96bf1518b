package dev.tollgate.gateway.support;

import dev.tollgate.testkit.OpensslCertificate;
import io.helidon.common.configurable.Resource;
import io.helidon.common.pki.Keys;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Test PKI: a CA and the server and client certificates it signs ({@link OpensslCertificate} makes
 * them), each leaf in its own directory as {@code tls.crt} + {@code tls.key} (the layout of a
 * mounted {@code kubernetes.io/tls} Secret).
 */
public final class TestCertificates {
  private final Path root;
  private final OpensslCertificate ca;

  private TestCertificates(Path root, String caName) {
    this.root = root;
    this.ca =
        new OpensslCertificate(root.resolve(caName + ".crt"), root.resolve(caName + ".key"))
            .selfSigned("/CN=" + caName);
  }

  /** A new CA under {@code root}. */
  public static TestCertificates ca(Path root, String caName) {
    return new TestCertificates(root, caName);
  }

  /** The key and chain of a pair directory, read with the gateway's PEM reader. */
  public static Keys keys(Path pair) {
    return Keys.builder()
        .pem(
            pem ->
                pem.key(Resource.create(pair.resolve("tls.key")))
                    .certChain(Resource.create(pair.resolve("tls.crt"))))
        .build();
  }

  public Path caFile() {
    return ca.certificate();
  }

  /**
   * A server certificate for {@code names} (the first is also the CN) in {@code root/dir}; a name
   * starting with {@code IP:} is an address, the others DNS names.
   *
   * @return the directory holding tls.crt and tls.key
   */
  public Path server(String dir, String... names) {
    String san =
        Stream.of(names)
            .map(n -> n.startsWith("IP:") ? n : "DNS:" + n)
            .collect(Collectors.joining(","));
    String cn = names[0].startsWith("IP:") ? names[0].substring(3) : names[0];
    return issue(dir, "/CN=" + cn, "subjectAltName=" + san, "extendedKeyUsage=serverAuth");
  }

  /** A client certificate with subject {@code subject} (e.g. {@code /CN=team-a/O=example}). */
  public Path client(String dir, String subject) {
    return issue(dir, subject, "extendedKeyUsage=clientAuth");
  }

  /** A leaf signed by this CA in {@code root/dir}; returns that directory. */
  private Path issue(String dir, String subject, String... extensions) {
    Path out = root.resolve(dir);
    OpensslCertificate.tlsFilesIn(out).signedBy(ca, subject, extensions);
    return out;
  }
}
