package dev.tollgate.gateway.support;

import dev.tollgate.testkit.ExternalCommand;
import io.helidon.common.configurable.Resource;
import io.helidon.common.pki.Keys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Test PKI made with the {@code openssl} command: a CA and leaf certificates it signs, each leaf in
 * its own directory as {@code tls.crt} + {@code tls.key} (the layout of a mounted {@code
 * kubernetes.io/tls} Secret). EC P-256 keys in PKCS#8, the format openssl 3 writes.
 */
public final class TestCertificates {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final Path root;
  private final Path caCert;
  private final Path caKey;

  private TestCertificates(Path root, String caName) {
    this.root = root;
    this.caCert = root.resolve(caName + ".crt");
    this.caKey = root.resolve(caName + ".key");
    openssl(request(caKey, caCert, "/CN=" + caName));
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
    return caCert;
  }

  /**
   * A server certificate for {@code names} (the first is also the CN) in {@code root/dir}; a name
   * starting with {@code IP:} is an address, the others DNS names.
   *
   * @return the directory holding tls.crt and tls.key
   */
  public Path server(String dir, String... names) {
    Path out = root.resolve(dir);
    String san =
        Stream.of(names)
            .map(n -> n.startsWith("IP:") ? n : "DNS:" + n)
            .collect(Collectors.joining(","));
    String cn = names[0].startsWith("IP:") ? names[0].substring(3) : names[0];
    issue(out, "/CN=" + cn, "subjectAltName=" + san, "extendedKeyUsage=serverAuth");
    return out;
  }

  /** A client certificate with subject {@code subject} (e.g. {@code /CN=team-a/O=example}). */
  public Path client(String dir, String subject) {
    Path out = root.resolve(dir);
    issue(out, subject, "extendedKeyUsage=clientAuth");
    return out;
  }

  private void issue(Path out, String subject, String... extensions) {
    try {
      Files.createDirectories(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> args = request(out.resolve("tls.key"), out.resolve("tls.crt"), subject);
    args.addAll(List.of("-CA", caCert.toString(), "-CAkey", caKey.toString()));
    for (String extension : extensions) {
      args.add("-addext");
      args.add(extension);
    }
    openssl(args);
  }

  /** A self-signed EC P-256 certificate request valid for two days (signed by -CA if added). */
  private static List<String> request(Path key, Path cert, String subject) {
    return new ArrayList<>(
        List.of(
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-keyout",
            key.toString(),
            "-out",
            cert.toString(),
            "-days",
            "2",
            "-subj",
            subject));
  }

  private static void openssl(List<String> args) {
    List<String> command = new ArrayList<>(List.of("openssl"));
    command.addAll(args);
    ExternalCommand.run(TIMEOUT, command).orThrow();
  }
}
