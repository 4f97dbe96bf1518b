package dev.tollgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.testkit.ExternalCommand;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The README's quick start, {@code make demo} ({@code tools/demo.sh}), run as a user runs it: the
 * gateway jar on {@code examples/standalone} in front of the two demo upstreams, on the fixed
 * loopback ports the README's curl commands name (no other test uses them). What it shows must
 * hold: the rewrite, round robin, the exact route, the problem answers, the limit, and everything
 * it started is stopped again.
 */
class QuickStartDemoIT {
  private static final List<Integer> DEMO_PORTS = List.of(18080, 18081, 18082, 18090);

  @Test
  void showsWhatTheReadmeSaysAndStopsWhatItStarted() {
    ExternalCommand.Result demo =
        ExternalCommand.run(Duration.ofMinutes(3), List.of(script().toString())).orThrow();

    String output = demo.output();
    assertThat(output)
        .contains("alpha got GET /v1/orders/4", "beta got GET /v1/orders/4")
        .contains("got GET /orders/health")
        .contains("HTTP/1.1 404 Not Found", "urn:tollgate:problem:no-route")
        .contains("HTTP/1.1 400 Bad Request", "urn:tollgate:problem:bad-request-target")
        // five tokens, two used before the burst: its first is admitted, its sixth refused
        .contains("request 1: 200", "request 6: 429")
        .contains("HTTP/1.1 429 Too Many Requests", "Retry-After:")
        .contains("== done");
    assertThat(DEMO_PORTS).allSatisfy(port -> assertThat(free(port)).as("port %d", port).isTrue());
  }

  /** The failsafe run's working directory is the gateway module; the script sits at the root. */
  private static Path script() {
    return Path.of("..", "tools", "demo.sh").toAbsolutePath().normalize();
  }

  private static boolean free(int port) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
