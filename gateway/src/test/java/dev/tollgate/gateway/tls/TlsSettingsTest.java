package dev.tollgate.gateway.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.gateway.GatewaySettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code TOLLGATE_TLS_*} settings as {@link GatewaySettings} parses them. */
class TlsSettingsTest {

  @Test
  void httpsIsOffUntilCertificatesAreNamed() {
    assertThat(GatewaySettings.from(Map.of()).tls()).isEmpty();
    assertThat(GatewaySettings.from(Map.of()).upstreamCaFile()).isEmpty();
  }

  @Test
  void defaultsAreTls12PlusWithModernCiphersAndNoClientCertificates() {
    TlsSettings tls =
        GatewaySettings.from(Map.of(), "--tls-cert-dirs=/tls/a, /tls/b").tls().orElseThrow();
    assertThat(tls.port()).isEqualTo(8443);
    assertThat(tls.certificateDirs()).containsExactly(Path.of("/tls/a"), Path.of("/tls/b"));
    assertThat(tls.protocols()).containsExactly("TLSv1.3", "TLSv1.2");
    assertThat(tls.cipherSuites())
        .contains("TLS_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256")
        .noneMatch(suite -> suite.contains("CBC") || suite.startsWith("TLS_RSA_"));
    assertThat(tls.clientAuth()).isEqualTo(ClientAuthMode.OFF);
    assertThat(tls.handshakeTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(tls.pollInterval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(tls.redirect()).isFalse();
    assertThat(tls.redirectPort()).isEqualTo(443);
  }

  @Test
  void refusesOldProtocolsAndClientAuthWithoutCa() {
    Map<String, String> base = Map.of("TOLLGATE_TLS_CERT_DIRS", "/tls/a");
    assertThatThrownBy(() -> GatewaySettings.from(base, "--tls-protocols=TLSv1.1,TLSv1.2"))
        .hasMessage(
            "TOLLGATE_TLS_PROTOCOLS must list TLSv1.2 and/or TLSv1.3, was [TLSv1.1, TLSv1.2]");
    assertThatThrownBy(() -> GatewaySettings.from(base, "--tls-client-auth=required"))
        .hasMessage("TOLLGATE_TLS_CLIENT_AUTH=REQUIRED needs TOLLGATE_TLS_CLIENT_CA_FILE");
    assertThatThrownBy(() -> GatewaySettings.from(base, "--tls-client-auth=maybe"))
        .hasMessage("TOLLGATE_TLS_CLIENT_AUTH must be off, optional or required, was 'maybe'");
    assertThatThrownBy(() -> GatewaySettings.from(base, "--tls-redirect=yes"))
        .hasMessage("TOLLGATE_TLS_REDIRECT must be true or false, was 'yes'");
    assertThatThrownBy(() -> GatewaySettings.from(base, "--tls-handshake-timeout=0s"))
        .hasMessageStartingWith("TOLLGATE_TLS_HANDSHAKE_TIMEOUT: invalid duration '0s'");
  }

  @Test
  void httpsBehaviourWithoutCertificatesIsRefused() {
    String message =
        "TOLLGATE_TLS_REDIRECT and TOLLGATE_TLS_CLIENT_AUTH need TOLLGATE_TLS_CERT_DIRS or"
            + " TOLLGATE_TLS_CERTIFICATE_BUNDLE_DIR";
    assertThatThrownBy(() -> GatewaySettings.from(Map.of(), "--tls-redirect=true"))
        .hasMessage(message);
    assertThatThrownBy(() -> GatewaySettings.from(Map.of(), "--tls-client-auth=required"))
        .hasMessage(message);
  }

  @Test
  void aCertificateBundleDirAloneTurnsHttpsOn() {
    TlsSettings tls =
        GatewaySettings.from(
                Map.of("TOLLGATE_TLS_CERTIFICATE_BUNDLE_DIR", "/etc/tollgate/listeners"),
                "--tls-redirect=true")
            .tls()
            .orElseThrow();
    assertThat(tls.certificateDirs()).isEmpty();
    assertThat(tls.certificateBundleDir()).contains(Path.of("/etc/tollgate/listeners"));
    assertThat(tls.redirect()).isTrue();

    TlsSettings both =
        GatewaySettings.from(
                Map.of(), "--tls-cert-dirs=/tls/a", "--tls-certificate-bundle-dir=/tls/bundle")
            .tls()
            .orElseThrow();
    assertThat(both.certificateDirs()).containsExactly(Path.of("/tls/a"));
    assertThat(both.certificateBundleDir()).contains(Path.of("/tls/bundle"));
    assertThat(GatewaySettings.from(Map.of()).tls()).isEmpty();
  }

  @Test
  void clientAuthAndUpstreamCaAreRead() {
    GatewaySettings settings =
        GatewaySettings.from(
            Map.of(
                "TOLLGATE_TLS_CERT_DIRS", "/tls/a",
                "TOLLGATE_TLS_CLIENT_AUTH", "Optional",
                "TOLLGATE_TLS_CLIENT_CA_FILE", "/ca/clients.pem",
                "TOLLGATE_UPSTREAM_CA_FILE", "/ca/upstreams.pem"));
    assertThat(settings.tls().orElseThrow().clientAuth()).isEqualTo(ClientAuthMode.OPTIONAL);
    assertThat(settings.tls().orElseThrow().clientCaFile()).contains(Path.of("/ca/clients.pem"));
    assertThat(settings.upstreamCaFile()).contains(Path.of("/ca/upstreams.pem"));
  }
}
