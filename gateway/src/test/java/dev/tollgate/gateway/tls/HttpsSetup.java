package dev.tollgate.gateway.tls;

import dev.tollgate.gateway.support.GatewayFixture;
import dev.tollgate.gateway.support.Routes;
import dev.tollgate.gateway.support.TestCertificates;
import dev.tollgate.gateway.support.TestUpstream;
import dev.tollgate.testkit.TempDirs;
import java.nio.file.Path;
import java.util.Map;

/**
 * What the HTTPS ITs share: a temp directory with a test CA (certificates are issued into it) and
 * an echo upstream; {@link #gateway} starts a gateway routing a path prefix to that upstream.
 */
final class HttpsSetup implements AutoCloseable {
  final Path dir;
  final TestCertificates pki;
  final TestUpstream upstream;

  HttpsSetup(String name) {
    dir = TempDirs.create(name);
    pki = TestCertificates.ca(dir, "test-ca");
    upstream = TestUpstream.echo("orders");
  }

  GatewayFixture gateway(String pathPrefix, Map<String, String> settings) {
    return GatewayFixture.start(
        Routes.simple("orders", "pathPrefix: " + pathPrefix, upstream.url()), settings);
  }

  @Override
  public void close() {
    upstream.close();
    TempDirs.deleteRecursively(dir);
  }
}
