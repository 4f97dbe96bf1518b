package dev.tollgate.gateway.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which certificate a handshake gets for its SNI name and key type. */
class CertificateSetTest {
  private static final ServerCertificate DEFAULT = certificate("default", "EC", "default.test");
  private static final ServerCertificate API = certificate("api", "EC", "api.example.test");
  private static final ServerCertificate WILDCARD =
      certificate("wildcard", "EC", "*.example.test", "example.test");
  private static final ServerCertificate RSA_ONLY = certificate("rsa", "RSA", "legacy.test");
  private static final CertificateSet SET =
      new CertificateSet(List.of(DEFAULT, API, WILDCARD, RSA_ONLY));

  private static ServerCertificate certificate(String alias, String keyType, String... names) {
    try {
      var key = KeyPairGenerator.getInstance(keyType).generateKeyPair().getPrivate();
      return new ServerCertificate(alias, alias, List.of(), key, List.of(names));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @ParameterizedTest
  @CsvSource({
    "api.example.test, api",
    "API.Example.TEST, api",
    "www.example.test, wildcard",
    "example.test, wildcard",
    "a.b.example.test, default",
    "other.test, default",
    "test, default"
  })
  void exactNameThenOneLabelWildcardThenTheDefault(String serverName, String alias) {
    assertThat(SET.select(serverName, "EC"))
        .get()
        .extracting(ServerCertificate::alias)
        .isEqualTo(alias);
  }

  @Test
  void clientsWithoutServerNameGetTheDefault() {
    assertThat(SET.select(null, "EC")).contains(DEFAULT);
  }

  @Test
  void aCertificateOfAnotherKeyTypeIsNotOffered() {
    assertThat(SET.select("legacy.test", "RSA")).contains(RSA_ONLY);
    assertThat(SET.select("legacy.test", "EC")).contains(DEFAULT);
    assertThat(SET.select("api.example.test", "RSA")).isEmpty();
  }

  @Test
  void anEmptySetSelectsNothing() {
    CertificateSet empty = new CertificateSet(List.of());
    assertThat(empty.select("api.example.test", "EC")).isEmpty();
    assertThat(empty.select(null, "RSA")).isEmpty();
    assertThat(empty.defaultCertificate()).isEmpty();
  }

  @Test
  void findsCertificatesByAlias() {
    assertThat(SET.withAlias("wildcard")).contains(WILDCARD);
    assertThat(SET.withAlias("gone")).isEmpty();
  }
}
