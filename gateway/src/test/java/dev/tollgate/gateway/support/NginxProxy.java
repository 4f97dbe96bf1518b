package dev.tollgate.gateway.support;

import static org.awaitility.Awaitility.await;

import dev.tollgate.testkit.FreePort;
import dev.tollgate.testkit.TempDirs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * nginx ({@code /usr/sbin/nginx}) with a private config on free loopback ports: a static upstream
 * answering {@code 200 ok}, and a reverse proxy to it with upstream keep-alive, the baseline a
 * gateway is compared with. One worker process, so it uses one core like the comparison demands on
 * a small machine.
 */
public final class NginxProxy implements AutoCloseable {
  private final Path dir;
  private final Process process;
  private final int upstreamPort;
  private final int proxyPort;
  private final int tlsProxyPort;
  private final int h2cProxyPort;

  private NginxProxy(
      Path dir,
      Process process,
      int upstreamPort,
      int proxyPort,
      int tlsProxyPort,
      int h2cProxyPort) {
    this.dir = dir;
    this.process = process;
    this.upstreamPort = upstreamPort;
    this.proxyPort = proxyPort;
    this.tlsProxyPort = tlsProxyPort;
    this.h2cProxyPort = h2cProxyPort;
  }

  public static NginxProxy start() {
    return start(null);
  }

  /**
   * Also an HTTPS reverse proxy (TLS 1.2/1.3, the pair in {@code certificate}: tls.crt, tls.key;
   * HTTP/2 and HTTP/1.1 by ALPN) and an h2c (HTTP/2 with prior knowledge) reverse proxy to the same
   * upstream, the baselines for the gateway's HTTPS listener and HTTP/2.
   */
  public static NginxProxy startWithTls(Path certificate) {
    return start(certificate);
  }

  private static NginxProxy start(Path certificate) {
    Path dir = TempDirs.create("tollgate-nginx");
    int upstreamPort = FreePort.pick();
    int proxyPort = FreePort.pick();
    int tlsProxyPort = certificate == null ? -1 : FreePort.pick();
    int h2cProxyPort = certificate == null ? -1 : FreePort.pick();
    String tlsServer =
        certificate == null
            ? ""
            : """
              server {
                listen 127.0.0.1:%1$d ssl http2;
                # as many requests per connection as the load generator sends (the default, 1000,
                # closes busy HTTP/2 connections mid-run and fails their streams in flight)
                keepalive_requests 10000000;
                ssl_certificate %2$s;
                ssl_certificate_key %3$s;
                ssl_protocols TLSv1.2 TLSv1.3;
                location / {
                  proxy_pass http://backend;
                  proxy_http_version 1.1;
                  proxy_set_header Connection "";
                }
              }
              server {
                listen 127.0.0.1:%4$d http2;
                keepalive_requests 10000000;
                location / {
                  proxy_pass http://backend;
                  proxy_http_version 1.1;
                  proxy_set_header Connection "";
                }
              }
              """
                .formatted(
                    tlsProxyPort,
                    certificate.resolve("tls.crt"),
                    certificate.resolve("tls.key"),
                    h2cProxyPort);
    String config =
        NginxConfig.head(dir, 4096)
            + """
          upstream backend { server 127.0.0.1:%2$d; keepalive 256; }
          server {
            listen 127.0.0.1:%2$d;
            location / { return 200 "ok\\n"; }
          }
          server {
            listen 127.0.0.1:%3$d;
            location / {
              proxy_pass http://backend;
              proxy_http_version 1.1;
              proxy_set_header Connection "";
            }
          }
        %4$s}
        """
                .formatted(dir, upstreamPort, proxyPort, tlsServer);
    try {
      Files.writeString(dir.resolve("nginx.conf"), config);
      Process process =
          new ProcessBuilder(
                  "/usr/sbin/nginx",
                  "-p",
                  dir.toString(),
                  "-c",
                  dir.resolve("nginx.conf").toString(),
                  "-g",
                  "daemon off;")
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("stdout.log").toFile())
              .start();
      NginxProxy nginx =
          new NginxProxy(dir, process, upstreamPort, proxyPort, tlsProxyPort, h2cProxyPort);
      await()
          .atMost(Duration.ofSeconds(10))
          .ignoreExceptions()
          .until(() -> nginx.accepts(upstreamPort) && nginx.accepts(proxyPort));
      return nginx;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private boolean accepts(int port) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      return socket.isConnected();
    }
  }

  /** {@code http://127.0.0.1:<port>} of the static upstream. */
  public String upstreamUrl() {
    return "http://127.0.0.1:" + upstreamPort;
  }

  /** {@code http://127.0.0.1:<port>} of the reverse proxy. */
  public String proxyUrl() {
    return "http://127.0.0.1:" + proxyPort;
  }

  /** {@code https://127.0.0.1:<port>} of the HTTPS reverse proxy ({@link #startWithTls}). */
  public String tlsProxyUrl() {
    return "https://127.0.0.1:" + tlsProxyPort;
  }

  /** {@code http://127.0.0.1:<port>} of the h2c reverse proxy ({@link #startWithTls}). */
  public String h2cProxyUrl() {
    return "http://127.0.0.1:" + h2cProxyPort;
  }

  @Override
  public void close() {
    process.destroy();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    TempDirs.deleteRecursively(dir);
  }
}
