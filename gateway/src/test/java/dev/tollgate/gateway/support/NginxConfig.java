package dev.tollgate.gateway.support;

import java.nio.file.Path;

/** The opening every test nginx config shares: one worker, and all its files inside its dir. */
public final class NginxConfig {
  private NginxConfig() {}

  /**
   * From the top to just inside {@code http {}}: pid, error log and scratch directories in {@code
   * dir} (the built-in ones may not be writable), no access log. The caller adds its servers and
   * the closing brace.
   */
  public static String head(Path dir, int workerConnections) {
    return """
        worker_processes 1;
        pid %1$s/nginx.pid;
        error_log %1$s/error.log warn;
        events { worker_connections %2$d; }
        http {
          access_log off;
          client_body_temp_path %1$s/body;
          proxy_temp_path %1$s/proxy;
          fastcgi_temp_path %1$s/fastcgi;
          uwsgi_temp_path %1$s/uwsgi;
          scgi_temp_path %1$s/scgi;
        """
        .formatted(dir, workerConnections);
  }
}
