package dev.tollgate.gateway.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.gateway.ratelimit.PolicyYaml;
import dev.tollgate.gateway.support.Curl;
import dev.tollgate.gateway.support.GatewayFixture;
import dev.tollgate.gateway.support.TestCertificates;
import dev.tollgate.gateway.support.TestUpstream;
import dev.tollgate.testkit.ExternalCommand;
import dev.tollgate.testkit.TempDirs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Client certificates (mTLS) checked by curl: with {@code required}, a certificate from the client
 * CA is let in and none or a foreign one is refused in the handshake; with {@code optional}, no
 * certificate is fine. A limit keyed by {@code clientCertificate} counts each client subject apart.
 */
class ClientCertificateIT {
  private static final String HOST = "api.example.test";
  private static final String LIMIT_PER_CERTIFICATE =
      """
      - name: per-certificate
        algorithm: fixed-window
        rate: {requests: 2, period: 1h}
        key: [{clientCertificate: true}]""";

  private static Path dir;
  private static TestCertificates servers;
  private static TestCertificates clients;
  private static TestCertificates strangers;
  private static TestUpstream upstream;
  private static GatewayFixture required;
  private static GatewayFixture optional;

  @BeforeAll
  static void start() {
    dir = TempDirs.create("tollgate-mtls");
    servers = TestCertificates.ca(dir, "server-ca");
    clients = TestCertificates.ca(dir, "client-ca");
    strangers = TestCertificates.ca(dir, "other-ca");
    Path server = servers.server("server", HOST);
    clients.client("team-a", "/CN=team-a/O=example");
    clients.client("team-b", "/CN=team-b/O=example");
    strangers.client("stranger", "/CN=team-a/O=example");
    upstream = TestUpstream.echo("orders");
    required = gateway(server, "required");
    optional = gateway(server, "optional");
  }

  private static GatewayFixture gateway(Path server, String mode) {
    return GatewayFixture.startWithPolicies(
        PolicyYaml.route("orders", "/orders", "none", upstream.url())
            + PolicyYaml.policy("per-client", "orders", "", LIMIT_PER_CERTIFICATE),
        Map.of(
            "TOLLGATE_TLS_PORT",
            "0",
            "TOLLGATE_TLS_CERT_DIRS",
            server.toString(),
            "TOLLGATE_TLS_CLIENT_AUTH",
            mode,
            "TOLLGATE_TLS_CLIENT_CA_FILE",
            clients.caFile().toString()));
  }

  @AfterAll
  static void stop() {
    required.close();
    optional.close();
    upstream.close();
    TempDirs.deleteRecursively(dir);
  }

  private static ExternalCommand.Result curl(GatewayFixture gateway, String client) {
    List<String> args = new ArrayList<>(List.of("--cacert", servers.caFile().toString()));
    if (client != null) {
      Path identity = dir.resolve(client);
      args.addAll(
          List.of(
              "--cert", identity.resolve("tls.crt").toString(),
              "--key", identity.resolve("tls.key").toString()));
    }
    int port = gateway.httpsPort();
    return Curl.verbose(
        HOST, port, "https://" + HOST + ":" + port + "/orders/1", args.toArray(String[]::new));
  }

  @Test
  void requiredLetsInCertificatesOfTheClientCaOnly() {
    ExternalCommand.Result accepted = curl(required, "team-b");
    assertThat(Curl.status(accepted)).as(accepted.output()).isEqualTo(200);

    for (String refused : new String[] {null, "stranger"}) {
      ExternalCommand.Result result = curl(required, refused);
      assertThat(result.exitCode()).as(result.output()).isNotZero();
      assertThat(Curl.status(result)).as(result.output()).isZero();
    }
  }

  @Test
  void optionalServesClientsWithoutCertificateButRefusesForeignOnes() {
    assertThat(Curl.status(curl(optional, null))).isEqualTo(200);
    ExternalCommand.Result foreign = curl(optional, "stranger");
    assertThat(Curl.status(foreign)).as(foreign.output()).isZero();
  }

  @Test
  void aLimitKeyedByTheClientCertificateCountsEachSubjectApart() {
    // required and optional are separate gateways with in-process limiters: use one of them only
    assertThat(Curl.status(curl(optional, "team-a"))).isEqualTo(200);
    assertThat(Curl.status(curl(optional, "team-a"))).isEqualTo(200);
    ExternalCommand.Result limited = curl(optional, "team-a");
    assertThat(Curl.status(limited)).as(limited.output()).isEqualTo(429);
    assertThat(limited.output()).contains("application/problem+json");

    ExternalCommand.Result other = curl(optional, "team-b");
    assertThat(Curl.status(other)).as(other.output()).isEqualTo(200);
  }
}
