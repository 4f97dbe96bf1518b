package dev.tollgate.gateway.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;

/** One nginx ({@code /usr/sbin/nginx}) in the foreground, with its config and files in a dir. */
final class NginxProcess {
  private NginxProcess() {}

  /**
   * Writes {@code config} to {@code dir/nginx.conf} and starts nginx on it; its output goes to
   * {@code dir/stdout.log}. The caller waits for its ports ({@link #accepts}) and destroys it.
   */
  static Process launch(Path dir, String config) {
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("nginx.conf"), config);
      return new ProcessBuilder(
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
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static boolean accepts(int port) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      return socket.isConnected();
    }
  }

  /** The pid of the one worker nginx {@code master} runs, for its CPU time and memory. */
  static long workerPid(Process master) {
    return master
        .children()
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("nginx " + master.pid() + " has no worker"))
        .pid();
  }

  static void stop(Process process) {
    process.destroy();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
