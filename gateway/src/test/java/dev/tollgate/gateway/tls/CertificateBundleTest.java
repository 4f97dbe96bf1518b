package dev.tollgate.gateway.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.gateway.metrics.GatewayMetrics;
import dev.tollgate.gateway.support.TestCertificates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which pairs a bundle directory holds as its listing changes. */
class CertificateBundleTest {
  private final GatewayMetrics metrics = new GatewayMetrics();

  @TempDir Path root;

  private static String names(CertificateBundle bundle) {
    return String.join(",", bundle.pairs().stream().map(PemPair::name).toList());
  }

  @Test
  void aDirectoryNotThereYetHoldsNoPair() {
    CertificateBundle bundle = new CertificateBundle(root.resolve("not-mounted"));
    assertThat(bundle.sync(metrics)).isFalse();
    assertThat(bundle.pairs()).isEmpty();
  }

  @Test
  void idsComeFromCrtAndKeyFilesAndTheKubeletsDotEntriesAreSkipped() throws IOException {
    Path dir = root.resolve("bundle");
    Files.createDirectories(dir.resolve("..2026_12_05_1"));
    Files.createSymbolicLink(dir.resolve("..data"), Path.of("..2026_12_05_1"));
    for (String file : new String[] {"shop.a.crt", "shop.a.key", "shop.b.key", ".c.crt", "d.txt"}) {
      Files.writeString(dir.resolve(file), "");
    }
    CertificateBundle bundle = new CertificateBundle(dir);

    bundle.sync(metrics);

    assertThat(names(bundle)).isEqualTo(dir.resolve("shop.a") + "," + dir.resolve("shop.b"));
  }

  @Test
  void aPairWhoseFilesAreGoneIsDroppedAndSaysWhetherItWasServed() throws IOException {
    Path dir = root.resolve("bundle");
    Path issued = TestCertificates.ca(root, "ca").server("issued", "a.example.test");
    Files.createDirectories(dir);
    Files.copy(issued.resolve("tls.crt"), dir.resolve("shop.a.crt"));
    Files.copy(issued.resolve("tls.key"), dir.resolve("shop.a.key"));
    Files.writeString(dir.resolve("shop.bad.crt"), "not PEM");
    Files.writeString(dir.resolve("shop.bad.key"), "not PEM");
    CertificateBundle bundle = new CertificateBundle(dir);
    assertThat(bundle.sync(metrics)).isFalse();
    bundle.pairs().forEach(pair -> pair.refresh(metrics));
    assertThat(bundle.pairs())
        .extracting(pair -> pair.served().isPresent())
        .containsExactly(true, false);

    Files.delete(dir.resolve("shop.bad.crt"));
    Files.delete(dir.resolve("shop.bad.key"));
    assertThat(bundle.sync(metrics)).as("a refused pair went: nothing served changed").isFalse();
    Files.delete(dir.resolve("shop.a.crt"));
    Files.delete(dir.resolve("shop.a.key"));
    assertThat(bundle.sync(metrics)).as("a served pair went").isTrue();
    assertThat(bundle.pairs()).isEmpty();
  }

  @Test
  void atMostMaxPairsAreKeptTheFirstById() throws IOException {
    Path dir = root.resolve("bundle");
    Files.createDirectories(dir);
    for (int i = 0; i <= CertificateBundle.MAX_PAIRS; i++) {
      Files.writeString(dir.resolve(String.format("ns.s%05d.crt", i)), "");
    }
    CertificateBundle bundle = new CertificateBundle(dir);

    bundle.sync(metrics);

    assertThat(bundle.pairs()).hasSize(CertificateBundle.MAX_PAIRS);
    assertThat(bundle.pairs().stream().map(PemPair::name).toList())
        .doesNotContain(
            dir.resolve(String.format("ns.s%05d", CertificateBundle.MAX_PAIRS)).toString())
        .contains(dir.resolve("ns.s00000").toString());
  }
}
