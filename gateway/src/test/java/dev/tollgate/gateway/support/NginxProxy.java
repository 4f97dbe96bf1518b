package dev.tollgate.gateway.support;

import static org.awaitility.Awaitility.await;

import dev.tollgate.testkit.FreePort;
import dev.tollgate.testkit.TempDirs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * nginx ({@code /usr/sbin/nginx}) with private configs on free loopback ports: a static upstream
 * answering {@code 200 ok} in a process of its own, and a reverse proxy to it with upstream
 * keep-alive, the baseline a gateway is compared with. Each runs one worker process, so the proxy
 * uses one core like the comparison demands on a small machine; the upstream has its own process as
 * it has for the gateway (an upstream served by the proxy's own worker costs that worker no wake-up
 * per request, but shares its core).
 *
 * <p>For comparison with figures taken before the upstream had its own process, the proxy's worker
 * also serves a static upstream of its own behind a second proxy server ({@link
 * #sameWorkerProxyUrl}).
 */
public final class NginxProxy implements AutoCloseable {
  private final Path dir;
  private final List<Process> processes;
  private final int upstreamPort;
  private final int proxyPort;
  private final int sameWorkerProxyPort;
  private final int tlsProxyPort;
  private final int h2cProxyPort;

  private NginxProxy(
      Path dir,
      List<Process> processes,
      int upstreamPort,
      int proxyPort,
      int sameWorkerProxyPort,
      int tlsProxyPort,
      int h2cProxyPort) {
    this.dir = dir;
    this.processes = processes;
    this.upstreamPort = upstreamPort;
    this.proxyPort = proxyPort;
    this.sameWorkerProxyPort = sameWorkerProxyPort;
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
    int sameWorkerUpstreamPort = FreePort.pick();
    int sameWorkerProxyPort = FreePort.pick();
    int tlsProxyPort = certificate == null ? -1 : FreePort.pick();
    int h2cProxyPort = certificate == null ? -1 : FreePort.pick();
    String tlsServers =
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
                %4$s
              }
              server {
                listen 127.0.0.1:%5$d http2;
                keepalive_requests 10000000;
                %4$s
              }
              """
                .formatted(
                    tlsProxyPort,
                    certificate.resolve("tls.crt"),
                    certificate.resolve("tls.key"),
                    proxyTo("backend"),
                    h2cProxyPort);
    String proxyServers =
        """
          upstream backend { server 127.0.0.1:%1$d; keepalive 256; }
          upstream same_worker { server 127.0.0.1:%2$d; keepalive 256; }
          %3$s
          server {
            listen 127.0.0.1:%4$d;
            %5$s
          }
          server {
            listen 127.0.0.1:%6$d;
            %7$s
          }
        %8$s"""
            .formatted(
                upstreamPort,
                sameWorkerUpstreamPort,
                staticServer(sameWorkerUpstreamPort),
                proxyPort,
                proxyTo("backend"),
                sameWorkerProxyPort,
                proxyTo("same_worker"),
                tlsServers);
    List<Process> processes = new ArrayList<>();
    NginxProxy nginx =
        new NginxProxy(
            dir,
            processes,
            upstreamPort,
            proxyPort,
            sameWorkerProxyPort,
            tlsProxyPort,
            h2cProxyPort);
    try {
      processes.add(launch(dir.resolve("upstream"), staticServer(upstreamPort)));
      processes.add(launch(dir.resolve("proxy"), proxyServers));
      await()
          .atMost(Duration.ofSeconds(10))
          .ignoreExceptions()
          .until(
              () ->
                  NginxProcess.accepts(upstreamPort)
                      && NginxProcess.accepts(proxyPort)
                      && NginxProcess.accepts(sameWorkerProxyPort));
      return nginx;
    } catch (RuntimeException e) {
      nginx.close();
      throw e;
    }
  }

  private static String staticServer(int port) {
    return """
        server {
          listen 127.0.0.1:%d;
          location / { return 200 "ok\\n"; }
        }
        """
        .formatted(port);
  }

  private static String proxyTo(String upstream) {
    return """
        location / {
          proxy_pass http://%s;
          proxy_http_version 1.1;
          proxy_set_header Connection "";
        }"""
        .formatted(upstream);
  }

  /** One nginx process with its config, logs and scratch files in {@code dir}. */
  private static Process launch(Path dir, String servers) {
    return NginxProcess.launch(dir, NginxConfig.head(dir, 4096) + servers + "}\n");
  }

  /** {@code http://127.0.0.1:<port>} of the static upstream (its own nginx process). */
  public String upstreamUrl() {
    return "http://127.0.0.1:" + upstreamPort;
  }

  /** {@code http://127.0.0.1:<port>} of the reverse proxy to {@link #upstreamUrl}. */
  public String proxyUrl() {
    return "http://127.0.0.1:" + proxyPort;
  }

  /**
   * {@code http://127.0.0.1:<port>} of a reverse proxy, in the same worker, to a static upstream
   * served by that worker too: the baseline of figures taken before the upstream had its own
   * process.
   */
  public String sameWorkerProxyUrl() {
    return "http://127.0.0.1:" + sameWorkerProxyPort;
  }

  /**
   * The pid of the proxies' worker: it serves {@link #proxyUrl} and {@link #sameWorkerProxyUrl}
   * (and that one's upstream), not {@link #upstreamUrl}.
   */
  public long proxyWorkerPid() {
    return NginxProcess.workerPid(processes.get(1));
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
    processes.forEach(NginxProcess::stop);
    TempDirs.deleteRecursively(dir);
  }
}
