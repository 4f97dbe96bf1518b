package dev.tollgate.gateway.tls;

import dev.tollgate.testkit.ExternalCommand;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The {@code curl} command against the gateway's loopback ports, names resolved by --resolve. */
final class Curl {
  private Curl() {}

  /**
   * {@code curl -sS -v --resolve host:port:127.0.0.1 <args> <url>}; verbose output (handshake,
   * certificate subject, status line) and body interleaved in {@link
   * ExternalCommand.Result#output}.
   */
  static ExternalCommand.Result get(String host, int port, String url, String... args) {
    List<String> command =
        new ArrayList<>(
            List.of(
                "curl",
                "-sS",
                "-v",
                "--max-time",
                "20",
                "--resolve",
                host + ":" + port + ":127.0.0.1"));
    command.addAll(List.of(args));
    command.add(url);
    return ExternalCommand.run(Duration.ofSeconds(30), command);
  }

  /** The status code of the response curl printed, 0 when there was none. */
  static int status(ExternalCommand.Result result) {
    for (String line : result.output().lines().toList()) {
      if (line.startsWith("< HTTP/")) {
        return Integer.parseInt(line.split(" ")[2]);
      }
    }
    return 0;
  }
}
