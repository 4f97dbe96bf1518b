package dev.tollgate.gateway.support;

import dev.tollgate.testkit.FreePort;
import dev.tollgate.testkit.TempDirs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What the protocol benchmarks compare: nginx ({@link NginxProxy#startWithTls}) and the packaged
 * gateway in its own JVM, both with one certificate for {@code 127.0.0.1} and in front of the same
 * static nginx upstream.
 */
public final class TlsBenchSetup implements AutoCloseable {
  private final Path dir;
  private final NginxProxy nginx;
  private final GatewayProcess gateway;
  private final int httpsPort;

  private TlsBenchSetup(Path dir, NginxProxy nginx, GatewayProcess gateway, int httpsPort) {
    this.dir = dir;
    this.nginx = nginx;
    this.gateway = gateway;
    this.httpsPort = httpsPort;
  }

  public static TlsBenchSetup start() throws IOException {
    Path dir = TempDirs.create("tollgate-tls-bench");
    NginxProxy nginx = null;
    try {
      Path pair = TestCertificates.ca(dir, "bench-ca").server("server", "IP:127.0.0.1");
      Path configDir = Files.createDirectory(dir.resolve("config"));
      nginx = NginxProxy.startWithTls(pair);
      Files.writeString(
          configDir.resolve("routes.yaml"),
          Routes.simple("bench", "pathPrefix: /", nginx.upstreamUrl()));
      int httpsPort = FreePort.pick();
      List<String> flags = List.of("--tls-port=" + httpsPort, "--tls-cert-dirs=" + pair);
      GatewayProcess gateway = GatewayProcess.start(configDir, List.of(), flags);
      return new TlsBenchSetup(dir, nginx, gateway, httpsPort);
    } catch (IOException | RuntimeException e) {
      if (nginx != null) {
        nginx.close();
      }
      TempDirs.deleteRecursively(dir);
      throw e;
    }
  }

  public NginxProxy nginx() {
    return nginx;
  }

  /** {@code http://127.0.0.1:<port>/api} on the gateway's plain port. */
  public String gatewayHttpUrl() {
    return "http://127.0.0.1:" + gateway.port() + "/api";
  }

  /** {@code https://127.0.0.1:<port>/api} on the gateway's HTTPS port. */
  public String gatewayHttpsUrl() {
    return "https://127.0.0.1:" + httpsPort + "/api";
  }

  @Override
  public void close() {
    try {
      gateway.close();
    } finally {
      nginx.close();
      TempDirs.deleteRecursively(dir);
    }
  }
}
