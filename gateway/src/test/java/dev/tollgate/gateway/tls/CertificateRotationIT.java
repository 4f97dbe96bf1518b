package dev.tollgate.gateway.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.gateway.support.GatewayFixture;
import dev.tollgate.gateway.support.Routes;
import dev.tollgate.gateway.support.TestCertificates;
import dev.tollgate.gateway.support.TestUpstream;
import dev.tollgate.testkit.TempDirs;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Certificates renewed on disk the way the kubelet updates a mounted Secret ({@code ..data} swap)
 * while clients keep calling: new handshakes get the new certificate, connections opened before
 * keep working, no request fails; a pair published half-written is refused and counted while the
 * previous one stays served.
 */
class CertificateRotationIT {
  private static final String HOST = "api.example.test";

  private Path dir;
  private TestCertificates pki;
  private TestUpstream upstream;
  private Path initial;
  private SecretVolume volume;
  private GatewayFixture gateway;
  private SSLContext client;

  @BeforeEach
  void start() {
    dir = TempDirs.create("tollgate-rotation");
    pki = TestCertificates.ca(dir, "test-ca");
    initial = issue(0);
    volume = new SecretVolume(dir.resolve("secret"), initial);
    upstream = TestUpstream.echo("orders");
    gateway =
        GatewayFixture.start(
            Routes.simple("orders", "pathPrefix: /", upstream.url()),
            Map.of(
                "TOLLGATE_TLS_PORT", "0",
                "TOLLGATE_TLS_CERT_DIRS", volume.dir().toString(),
                "TOLLGATE_TLS_POLL_INTERVAL", "100ms"));
    client = TlsClients.trusting(pki.caFile());
  }

  @AfterEach
  void stop() {
    gateway.close();
    upstream.close();
    TempDirs.deleteRecursively(dir);
  }

  private Path issue(int n) {
    return pki.server("pair-" + n, HOST, "IP:127.0.0.1");
  }

  private BigInteger served() {
    return TlsClients.servedLeaf(client, gateway.httpsPort(), HOST).getSerialNumber();
  }

  /** The start of the reload counter's line for {@code result}, up to the scope label. */
  private String reloads(String result) {
    return "tollgate_tls_certificate_reloads_total{certificate=\""
        + volume.dir()
        + "\",result=\""
        + result
        + "\",";
  }

  private static BigInteger serial(Path pair) {
    return CaBundle.read("pair", pair.resolve("tls.crt")).getFirst().getSerialNumber();
  }

  @Test
  void renewalsUnderLoadFailNoRequestAndKeepOpenConnections() throws Exception {
    SSLSocket kept = TlsClients.connect(client, gateway.httpsPort(), HOST);
    BigInteger keptSerial =
        ((java.security.cert.X509Certificate) kept.getSession().getPeerCertificates()[0])
            .getSerialNumber();
    assertThat(TlsClients.get(kept, HOST, "keep-alive")).startsWith("HTTP/1.1 200");

    HttpsLoad load = HttpsLoad.start(client, gateway.httpsPort(), HOST, 3, 2);
    try (load) {
      for (int n = 1; n <= 3; n++) {
        load.awaitServed(20);
        Path next = issue(n);
        volume.publish(next);
        await().atMost(Duration.ofSeconds(30)).until(() -> served().equals(serial(next)));
      }
      load.awaitServed(20);
    }

    System.out.printf("CertificateRotationIT: during 3 renewals %s%n", load.summary());
    assertThat(load.failures()).isEmpty();
    assertThat(gateway.metricLine(reloads("success")))
        .hasValueSatisfying(line -> assertThat(line).endsWith(" 3.0"));
    // the connection opened before the renewals still works, on the session it negotiated
    assertThat(TlsClients.get(kept, HOST, "close")).startsWith("HTTP/1.1 200");
    assertThat(
            ((java.security.cert.X509Certificate) kept.getSession().getPeerCertificates()[0])
                .getSerialNumber())
        .isEqualTo(keptSerial);
    kept.close();
  }

  @Test
  void halfWrittenPairIsRefusedAndCountedWhileThePreviousOneIsServed() {
    Path renewed = issue(1);
    // the new certificate with the old key: what a reader sees mid-write without the ..data swap
    volume.publish(renewed.resolve("tls.crt"), initial.resolve("tls.key"));
    String failure = reloads("failure");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> gateway.metricLine(failure).filter(l -> l.endsWith(" 1.0")).isPresent());
    assertThat(served()).isEqualTo(serial(initial));

    volume.publish(renewed);
    await().atMost(Duration.ofSeconds(30)).until(() -> served().equals(serial(renewed)));
    assertThat(gateway.metricLine(failure)).hasValueSatisfying(l -> assertThat(l).endsWith(" 1.0"));
  }

  @Test
  void anOversizedFileIsRefusedAndCountedWithoutBeingParsed() throws Exception {
    Path huge = dir.resolve("huge.crt");
    Files.write(huge, new byte[PemPair.MAX_FILE_BYTES + 1]);
    volume.publish(huge, initial.resolve("tls.key"));
    String failure = reloads("failure");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> gateway.metricLine(failure).filter(l -> l.endsWith(" 1.0")).isPresent());
    assertThat(served()).isEqualTo(serial(initial));
  }
}
