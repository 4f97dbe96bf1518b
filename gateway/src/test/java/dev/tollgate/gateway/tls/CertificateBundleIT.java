package dev.tollgate.gateway.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.tollgate.gateway.support.Curl;
import dev.tollgate.gateway.support.GatewayFixture;
import dev.tollgate.testkit.ExternalCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The HTTPS listener serving a certificate bundle ({@code TOLLGATE_TLS_CERTIFICATE_BUNDLE_DIR}: the
 * Secret the operator writes from Gateway listeners, mounted and updated the way the kubelet does,
 * by {@code ..data} swaps) to curl and JDK clients: each pair to the names it covers, the first id
 * as the default; pairs added, renewed under load and removed while serving; a mismatched pair
 * refused with the previous one kept; and no pair at all, which fails handshakes only.
 */
class CertificateBundleIT {
  private static final String ALPHA = "alpha.example.test";
  private static final String BETA = "beta.example.test";
  private static final String GAMMA = "gamma.example.test";
  // ids as the operator names them, <namespace>.<secret>; alpha's sorts first: the default
  private static final String ALPHA_ID = "shop.alpha-tls";
  private static final String BETA_ID = "shop.beta-tls";
  private static final String GAMMA_ID = "shop.gamma-tls";
  private static final String WITHOUT_CERTIFICATE =
      "tollgate_tls_handshakes_without_certificate_total";

  private HttpsSetup setup;
  private SecretVolume bundle;
  private GatewayFixture gateway;
  private SSLContext client;
  private Path alpha;
  private Path beta;

  @BeforeEach
  void prepare() {
    setup = new HttpsSetup("tollgate-bundle");
    bundle = new SecretVolume(setup.dir.resolve("listener-certificates"));
    client = TlsClients.trusting(setup.pki.caFile());
    // the address too: the keep-alive load calls 127.0.0.1 without SNI and gets the default
    alpha = setup.pki.server("alpha-0", ALPHA, "IP:127.0.0.1");
    beta = setup.pki.server("beta-0", BETA);
  }

  @AfterEach
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
    setup.close();
  }

  private void startGateway() {
    gateway =
        setup.gateway(
            "/orders",
            Map.of(
                "TOLLGATE_TLS_PORT", "0",
                "TOLLGATE_TLS_CERTIFICATE_BUNDLE_DIR", bundle.dir().toString(),
                "TOLLGATE_TLS_POLL_INTERVAL", "100ms"));
  }

  /** Publishes the bundle Secret with these pairs (id → directory with tls.crt and tls.key). */
  private void publish(Map<String, Path> pairs) {
    Map<String, Path> keys = new LinkedHashMap<>();
    pairs.forEach(
        (id, pair) -> {
          keys.put(id + ".crt", pair.resolve("tls.crt"));
          keys.put(id + ".key", pair.resolve("tls.key"));
        });
    bundle.publish(keys);
  }

  /**
   * The leaf a full handshake gets: a new client context each time, because JSSE's client keeps
   * sessions per address, not per name, and would resume one negotiated for another name (TLS 1.3
   * leaves that check to the client, RFC 8446 section 4.6.1).
   */
  private X509Certificate served(String serverName) {
    SSLContext fresh = TlsClients.trusting(setup.pki.caFile());
    return TlsClients.servedLeaf(fresh, gateway.httpsPort(), serverName);
  }

  private String servedSubject(String serverName) {
    return served(serverName).getSubjectX500Principal().getName();
  }

  private static BigInteger serial(Path pair) {
    return CaBundle.read("pair", pair.resolve("tls.crt")).getFirst().getSerialNumber();
  }

  private ExternalCommand.Result curl(String host, String... args) {
    int port = gateway.httpsPort();
    return Curl.verbose(host, port, "https://" + host + ":" + port + "/orders/7", args);
  }

  private String pair(String id) {
    return bundle.dir().resolve(id).toString();
  }

  /** The start of the reload counter's line of pair {@code id} for {@code result}. */
  private String reloads(String id, String result) {
    return "tollgate_tls_certificate_reloads_total{certificate=\""
        + pair(id)
        + "\",result=\""
        + result
        + "\",";
  }

  private String expiry(String id) {
    return "tollgate_tls_certificate_expiry{certificate=\"" + pair(id) + "\",";
  }

  private void awaitCount(String line, int count) {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> gateway.metricLine(line).filter(l -> l.endsWith(" " + count + ".0")).isPresent());
  }

  private double withoutCertificate() {
    return gateway
        .metricLine(WITHOUT_CERTIFICATE)
        .map(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .orElse(0.0);
  }

  @Test
  void eachNameGetsTheCertificateOfItsPairAndTheFirstIdIsTheDefault() {
    publish(Map.of(BETA_ID, beta, ALPHA_ID, alpha));
    startGateway();

    for (String host : new String[] {ALPHA, BETA}) {
      ExternalCommand.Result result = curl(host, "--cacert", setup.pki.caFile().toString());
      assertThat(result.exitCode()).as(result.output()).isZero();
      assertThat(result.output()).contains("subject: CN=" + host);
      assertThat(Curl.status(result)).isEqualTo(200);
    }
    int port = gateway.httpsPort();
    // an IP address in the URL: curl sends no SNI and gets the pair whose id sorts first
    ExternalCommand.Result noSni =
        Curl.verbose("x", port, "https://127.0.0.1:" + port + "/orders/1", "--insecure");
    assertThat(noSni.output()).contains("subject: CN=" + ALPHA);
    assertThat(Curl.status(noSni)).isEqualTo(200);
    assertThat(gateway.metricLine(expiry(ALPHA_ID))).isPresent();
    assertThat(gateway.metricLine(expiry(BETA_ID))).isPresent();
    assertThat(gateway.get("/orders/1").statusCode()).isEqualTo(200);
  }

  @Test
  void aPairAddedWhileServingIsServed() {
    publish(Map.of(ALPHA_ID, alpha));
    startGateway();
    assertThat(servedSubject(BETA)).isEqualTo("CN=" + ALPHA);

    publish(Map.of(ALPHA_ID, alpha, BETA_ID, beta));

    await().atMost(Duration.ofSeconds(30)).until(() -> servedSubject(BETA).equals("CN=" + BETA));
    ExternalCommand.Result result = curl(BETA, "--cacert", setup.pki.caFile().toString());
    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(Curl.status(result)).isEqualTo(200);
    assertThat(gateway.metricLine(reloads(BETA_ID, "success")))
        .hasValueSatisfying(line -> assertThat(line).endsWith(" 1.0"));
  }

  @Test
  void aRenewedPairIsServedWithoutFailingARunningLoad() throws Exception {
    publish(Map.of(ALPHA_ID, alpha, BETA_ID, beta));
    startGateway();
    SSLSocket kept = TlsClients.connect(client, gateway.httpsPort(), ALPHA);
    assertThat(TlsClients.get(kept, ALPHA, "keep-alive")).startsWith("HTTP/1.1 200");

    HttpsLoad load = HttpsLoad.start(client, gateway.httpsPort(), ALPHA, 2, 2);
    try (load) {
      for (int n = 1; n <= 2; n++) {
        load.awaitServed(20);
        Path renewed = setup.pki.server("alpha-" + n, ALPHA, "IP:127.0.0.1");
        publish(Map.of(ALPHA_ID, renewed, BETA_ID, beta));
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> served(ALPHA).getSerialNumber().equals(serial(renewed)));
      }
      load.awaitServed(20);
    }

    System.out.printf(
        "CertificateBundleIT: during 2 renewals of a bundle pair %s%n", load.summary());
    assertThat(load.failures()).isEmpty();
    // read at start, then renewed twice; the other pair was not touched
    assertThat(gateway.metricLine(reloads(ALPHA_ID, "success")))
        .hasValueSatisfying(line -> assertThat(line).endsWith(" 3.0"));
    assertThat(gateway.metricLine(reloads(BETA_ID, "success")))
        .hasValueSatisfying(line -> assertThat(line).endsWith(" 1.0"));
    assertThat(served(BETA).getSerialNumber()).isEqualTo(serial(beta));
    assertThat(TlsClients.get(kept, ALPHA, "close")).startsWith("HTTP/1.1 200");
    kept.close();
  }

  @Test
  void aRemovedPairStopsBeingServedAndTheNextIdBecomesTheDefault() {
    publish(Map.of(ALPHA_ID, alpha, BETA_ID, beta));
    startGateway();
    assertThat(servedSubject(ALPHA)).isEqualTo("CN=" + ALPHA);

    publish(Map.of(BETA_ID, beta));

    await().atMost(Duration.ofSeconds(30)).until(() -> servedSubject(ALPHA).equals("CN=" + BETA));
    ExternalCommand.Result verified = curl(ALPHA, "--cacert", setup.pki.caFile().toString());
    // beta's certificate does not name alpha: a verifying client refuses it
    assertThat(verified.exitCode()).as(verified.output()).isEqualTo(60);
    assertThat(servedSubject(BETA)).isEqualTo("CN=" + BETA);
    assertThat(gateway.metricLine(expiry(ALPHA_ID))).isEmpty();
    assertThat(gateway.metricLine(expiry(BETA_ID))).isPresent();
  }

  @Test
  void aMismatchedPairIsRefusedAndCountedWhileThePreviousOneIsServed() {
    publish(Map.of(ALPHA_ID, alpha, BETA_ID, beta));
    startGateway();
    Path renewed = setup.pki.server("alpha-1", ALPHA, "IP:127.0.0.1");
    Path gamma = setup.pki.server("gamma-0", GAMMA);
    Path mismatched = setup.dir.resolve("mismatched");
    Path gammaMismatched = setup.dir.resolve("gamma-mismatched");
    copyPair(renewed.resolve("tls.crt"), alpha.resolve("tls.key"), mismatched);
    copyPair(gamma.resolve("tls.crt"), beta.resolve("tls.key"), gammaMismatched);

    // a renewal with the old key, and a new pair whose key is another's
    publish(Map.of(ALPHA_ID, mismatched, BETA_ID, beta, GAMMA_ID, gammaMismatched));

    awaitCount(reloads(ALPHA_ID, "failure"), 1);
    awaitCount(reloads(GAMMA_ID, "failure"), 1);
    assertThat(served(ALPHA).getSerialNumber()).isEqualTo(serial(alpha));
    assertThat(servedSubject(GAMMA)).isEqualTo("CN=" + ALPHA);
    X509Certificate dbg = served(BETA);
    assertThat(dbg.getSerialNumber())
        .as(
            dbg.getSubjectX500Principal()
                + " "
                + dbg.getNotBefore()
                + " "
                + CaBundle.read("pair", beta.resolve("tls.crt"))
                    .getFirst()
                    .getSubjectX500Principal())
        .isEqualTo(serial(beta));

    publish(Map.of(ALPHA_ID, renewed, BETA_ID, beta, GAMMA_ID, gamma));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> served(ALPHA).getSerialNumber().equals(serial(renewed)));
    await().atMost(Duration.ofSeconds(30)).until(() -> servedSubject(GAMMA).equals("CN=" + GAMMA));
    assertThat(gateway.metricLine(reloads(ALPHA_ID, "failure")))
        .hasValueSatisfying(line -> assertThat(line).endsWith(" 1.0"));
  }

  @Test
  void withoutAnyPairHandshakesFailAndAreCountedWhilePlainHttpServesUntilAPairAppears()
      throws Exception {
    // the Secret not written yet: the directory does not even exist
    startGateway();
    double before = withoutCertificate();

    ExternalCommand.Result refused = curl(ALPHA, "--cacert", setup.pki.caFile().toString());
    // 35: the TLS handshake failed (the server's handshake_failure alert)
    assertThat(refused.exitCode()).as(refused.output()).isEqualTo(35);
    assertThat(Curl.status(refused)).isZero();
    assertThatThrownBy(() -> served(ALPHA)).hasCauseInstanceOf(SSLException.class);
    assertThat(gateway.get("/orders/1").statusCode()).isEqualTo(200);
    assertThat(gateway.admin("/health/ready").statusCode()).isEqualTo(200);

    // mounted, still empty: the kubelet's view of an optional Secret that does not exist
    publish(Map.of());
    assertThat(Files.isDirectory(bundle.dir())).isTrue();
    ExternalCommand.Result stillRefused = curl(ALPHA, "--cacert", setup.pki.caFile().toString());
    assertThat(stillRefused.exitCode()).as(stillRefused.output()).isEqualTo(35);
    // once per handshake, however many key types the client offered
    assertThat(withoutCertificate() - before).isEqualTo(3.0);

    publish(Map.of(ALPHA_ID, alpha));
    await()
        .atMost(Duration.ofSeconds(30))
        // handshakes fail until the poll has read the pair
        .ignoreExceptions()
        .until(() -> servedSubject(ALPHA).equals("CN=" + ALPHA));
    ExternalCommand.Result served = curl(ALPHA, "--cacert", setup.pki.caFile().toString());
    assertThat(served.exitCode()).as(served.output()).isZero();
    assertThat(Curl.status(served)).isEqualTo(200);
  }

  private static void copyPair(Path certificate, Path key, Path into) {
    try {
      Files.createDirectories(into);
      Files.copy(certificate, into.resolve("tls.crt"));
      Files.copy(key, into.resolve("tls.key"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
