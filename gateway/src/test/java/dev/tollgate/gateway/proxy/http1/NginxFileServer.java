package dev.tollgate.gateway.proxy.http1;

import static org.awaitility.Awaitility.await;

import dev.tollgate.gateway.support.NginxConfig;
import dev.tollgate.testkit.ExternalCommand;
import dev.tollgate.testkit.FreePort;
import dev.tollgate.testkit.TempDirs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * nginx ({@code /usr/sbin/nginx}) on a free loopback port serving a temp directory: static files
 * under {@code /files/} (ETags, gzip on request, which nginx then sends chunked), {@code PUT} into
 * {@code /dav/} (readable back with GET), {@code /empty} (204) and {@code /text} (200 "text"). It
 * closes each connection after 7 requests ({@code Connection: close} on the 7th answer), so a
 * client sees both ends of keep-alive often.
 */
final class NginxFileServer implements AutoCloseable {
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(20);

  private final Path dir;
  private final int port;

  private NginxFileServer(Path dir, int port) {
    this.dir = dir;
    this.port = port;
  }

  /** A fresh temp directory whose {@link #files()} the server will serve once {@link #start}ed. */
  static Path newSite() {
    Path dir = TempDirs.create("tollgate-http1-nginx");
    try {
      Files.createDirectories(dir.resolve("www/files"));
      Files.createDirectories(dir.resolve("www/dav"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return dir;
  }

  /** Where static files go, served as {@code /files/<name>}. */
  static Path files(Path site) {
    return site.resolve("www/files");
  }

  /**
   * Starts nginx on {@code site} (from {@link #newSite}); the directory is deleted on {@link
   * #close}, and also here when nginx does not start.
   */
  static NginxFileServer start(Path site) {
    int port = FreePort.pick();
    String config =
        NginxConfig.head(site, 64)
            + """
          types { text/plain txt; application/octet-stream bin; }
          default_type application/octet-stream;
          keepalive_requests 7;
          gzip on;
          gzip_min_length 0;
          gzip_types text/plain application/octet-stream;
          server {
            listen 127.0.0.1:%2$d;
            root %1$s/www;
            location /files/ { }
            location /dav/ {
              dav_methods PUT;
              client_max_body_size 1m;
            }
            location = /empty { return 204; }
            location = /text { return 200 "text"; }
          }
        }
        """
                .formatted(site, port);
    try {
      Files.writeString(site.resolve("nginx.conf"), config);
      // the workers run as an unprivileged user when nginx starts as root: they read the files
      // and write uploads into dav/
      permit(site, "rwxr-xr-x");
      permit(site.resolve("www"), "rwxr-xr-x");
      permit(files(site), "rwxr-xr-x");
      permit(site.resolve("www/dav"), "rwxrwxrwx");
      nginx(site).orThrow();
      return new NginxFileServer(site, port);
    } catch (IOException | RuntimeException e) {
      TempDirs.deleteRecursively(site);
      throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
    }
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /** {@code 127.0.0.1:<port>}, for the Host header. */
  String authority() {
    return uri().getAuthority();
  }

  private static void permit(Path path, String permissions) throws IOException {
    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
  }

  /** Runs nginx on the site's config; it starts as a daemon, or with {@code -s}, signals it. */
  private static ExternalCommand.Result nginx(Path site, String... signal) {
    List<String> command =
        new ArrayList<>(
            List.of(
                "/usr/sbin/nginx",
                "-p",
                site.toString(),
                "-e",
                site.resolve("error.log").toString(),
                "-c",
                site.resolve("nginx.conf").toString()));
    command.addAll(List.of(signal));
    return ExternalCommand.run(COMMAND_TIMEOUT, command);
  }

  @Override
  public void close() {
    try {
      nginx(dir, "-s", "stop").orThrow();
      await()
          .atMost(COMMAND_TIMEOUT)
          .pollInterval(Duration.ofMillis(50))
          .until(() -> !Files.exists(dir.resolve("nginx.pid")));
    } finally {
      TempDirs.deleteRecursively(dir);
    }
  }
}
