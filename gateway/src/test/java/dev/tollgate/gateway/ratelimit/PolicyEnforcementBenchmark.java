package dev.tollgate.gateway.ratelimit;

import static dev.tollgate.gateway.ratelimit.PolicyYaml.policy;
import static dev.tollgate.gateway.ratelimit.PolicyYaml.route;

import dev.tollgate.gateway.auth.TestKeys;
import dev.tollgate.testkit.ExternalCommand;
import dev.tollgate.testkit.FreePort;
import dev.tollgate.testkit.TempDirs;
import dev.tollgate.testkit.redis.RedisServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Requests/s and latency of policy enforcement, measured with {@code wrk} in one run against
 * baselines taken in the same run: the upstream directly, nginx proxying to it, the gateway without
 * a policy, with one Redis limit, with three, and a flood from one client that is over its limit
 * (answered by the over-limit cache). Prints a Markdown table; asserts nothing.
 *
 * <p>Not part of {@code verify}. Run from the repository root after {@code ./mvnw -pl gateway -am
 * install -DskipTests}:
 *
 * <pre>
 * ./mvnw -B -q -pl gateway dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 * java -cp gateway/target/test-classes:gateway/target/classes:$(cat /tmp/cp.txt) \
 *     dev.tollgate.gateway.ratelimit.PolicyEnforcementBenchmark [seconds] [connections]
 * </pre>
 */
public final class PolicyEnforcementBenchmark {
  private static final Pattern REQUESTS = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
  private static final Pattern PERCENTILE =
      Pattern.compile("^\\s+(50|99)%\\s+([0-9.]+)(us|ms|s)\\s*$", Pattern.MULTILINE);
  private static final Pattern STATUS = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");

  private record Result(String name, double rps, double p50ms, double p99ms, long non2xx) {}

  /** A gateway configuration to measure; {@code authorization} is sent with every request. */
  private record Setup(String name, String yaml, String authorization) {}

  private PolicyEnforcementBenchmark() {}

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    int connections = args.length > 1 ? Integer.parseInt(args[1]) : 64;
    int upstreamPort = FreePort.pick();
    int nginxProxyPort = FreePort.pick();
    Path nginxDir = TempDirs.create("bench-nginx");
    List<Result> results = new ArrayList<>();
    try (RedisServer redis = RedisServer.start();
        AutoCloseable nginx = startNginx(nginxDir, upstreamPort, nginxProxyPort)) {
      String upstream = "http://127.0.0.1:" + upstreamPort;
      results.add(wrk("upstream direct", upstream + "/api", "", seconds, connections));
      results.add(
          wrk(
              "nginx proxy",
              "http://127.0.0.1:" + nginxProxyPort + "/api",
              "",
              seconds,
              connections));
      TestKeys.SigningKey key = TestKeys.rsa("bench");
      Files.writeString(nginxDir.resolve("jwks.json"), TestKeys.jwks(key));
      Map<String, String> settings =
          Map.of(
              "TOLLGATE_REDIS_URL", redis.uri(),
              "TOLLGATE_GATEWAY_NAME", "bench",
              "TOLLGATE_JWT_JWKS_FILE", nginxDir.resolve("jwks.json").toString());
      String api = route("api", "/api", "none", upstream);
      String bearer = "Bearer " + TestKeys.token(key, "alice", c -> {});
      List<Setup> setups =
          List.of(
              new Setup("gateway, no policy", api, ""),
              new Setup(
                  "gateway, 1 Redis limit",
                  api + policy("one", "api", "", limits(1, 1_000_000)),
                  ""),
              new Setup(
                  "gateway, 3 Redis limits",
                  api + policy("three", "api", "", limits(3, 1_000_000)),
                  ""),
              new Setup(
                  "gateway, JWT (RS256) + 1 limit by sub",
                  route("api", "/api", "required", upstream)
                      + policy(
                          "jwt",
                          "api",
                          "",
                          limits(1, 1_000_000).replace("{clientIP: true}", "{claim: sub}")),
                  bearer),
              // one client far over a 10/s limit: after the first refusal the over-limit cache
              // answers
              new Setup(
                  "gateway, 1 client over its limit",
                  api + policy("flood", "api", "", limits(1, 10)),
                  ""));
      for (Setup setup : setups) {
        results.add(gateway(setup, settings, seconds, connections));
      }
    } finally {
      TempDirs.deleteRecursively(nginxDir);
    }
    print(results, seconds, connections);
  }

  /** {@code count} token-bucket limits keyed by client IP (and route, method for the others). */
  private static String limits(int count, long requestsPerSecond) {
    String[] keys = {"[{clientIP: true}]", "[{clientIP: true}, {route: true}]", "[{method: true}]"};
    StringBuilder yaml = new StringBuilder();
    for (int i = 0; i < count; i++) {
      yaml.append(
          """
          - name: limit-%d
            rate: {requests: %d, period: 1s}
            key: %s
          """
              .formatted(i, requestsPerSecond, keys[i]));
    }
    return yaml.toString();
  }

  private static Result gateway(
      Setup setup, Map<String, String> settings, int seconds, int connections) {
    try (PolicyGateway gateway = PolicyGateway.start(setup.yaml(), settings)) {
      String url = gateway.uri("/api").toString();
      // as long as the measurement: the first setup also pays for class loading and JIT
      wrk("warm-up", url, setup.authorization(), seconds, connections);
      return wrk(setup.name(), url, setup.authorization(), seconds, connections);
    }
  }

  private static Result wrk(
      String name, String url, String authorization, int seconds, int connections) {
    List<String> command =
        new ArrayList<>(
            List.of("wrk", "-t2", "-c" + connections, "-d" + seconds + "s", "--latency", url));
    if (!authorization.isEmpty()) {
      command.addAll(List.of("-H", "Authorization: " + authorization));
    }
    String output =
        ExternalCommand.run(Duration.ofSeconds(seconds + 60), command).orThrow().output();
    Matcher rps = REQUESTS.matcher(output);
    if (!rps.find()) {
      throw new IllegalStateException("no Requests/sec in wrk output:\n" + output);
    }
    double p50 = 0;
    double p99 = 0;
    Matcher percentile = PERCENTILE.matcher(output);
    while (percentile.find()) {
      double ms = toMillis(Double.parseDouble(percentile.group(2)), percentile.group(3));
      if (percentile.group(1).equals("50")) {
        p50 = ms;
      } else {
        p99 = ms;
      }
    }
    Matcher status = STATUS.matcher(output);
    long non2xx = status.find() ? Long.parseLong(status.group(1)) : 0;
    return new Result(name, Double.parseDouble(rps.group(1)), p50, p99, non2xx);
  }

  private static double toMillis(double value, String unit) {
    return switch (unit) {
      case "us" -> value / 1000;
      case "s" -> value * 1000;
      default -> value;
    };
  }

  /** nginx with two servers: a static upstream ({@code 200 ok}) and a keep-alive proxy to it. */
  private static AutoCloseable startNginx(Path dir, int upstreamPort, int proxyPort)
      throws IOException {
    Files.createDirectories(dir.resolve("logs"));
    Files.writeString(
        dir.resolve("nginx.conf"),
        """
        daemon off;
        worker_processes 1;
        pid %1$s/nginx.pid;
        error_log %1$s/logs/error.log warn;
        events { worker_connections 4096; }
        http {
          access_log off;
          client_body_temp_path %1$s/body;
          proxy_temp_path %1$s/proxy;
          fastcgi_temp_path %1$s/fastcgi;
          uwsgi_temp_path %1$s/uwsgi;
          scgi_temp_path %1$s/scgi;
          upstream app { server 127.0.0.1:%2$d; keepalive 64; }
          server {
            listen 127.0.0.1:%2$d;
            location / { return 200 "ok\\n"; }
          }
          server {
            listen 127.0.0.1:%3$d;
            location / {
              proxy_pass http://app;
              proxy_http_version 1.1;
              proxy_set_header Connection "";
            }
          }
        }
        """
            .formatted(dir, upstreamPort, proxyPort));
    Process process =
        new ProcessBuilder(
                "nginx", "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("logs/stdout.log").toFile())
            .start();
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> reachable(upstreamPort) && reachable(proxyPort));
    return () -> {
      process.destroy();
      process.waitFor();
    };
  }

  private static boolean reachable(int port) {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void print(List<Result> results, int seconds, int connections) {
    double nginx = results.get(1).rps();
    System.out.printf(
        "%nwrk -t2 -c%d -d%ds, one 2-core machine, everything on loopback%n%n",
        connections, seconds);
    System.out.println("| setup | requests/s | p50 ms | p99 ms | non-2xx | vs nginx |");
    System.out.println("|---|---:|---:|---:|---:|---:|");
    for (Result r : results) {
      System.out.printf(
          "| %s | %.0f | %.2f | %.2f | %d | %.2fx |%n",
          r.name(), r.rps(), r.p50ms(), r.p99ms(), r.non2xx(), r.rps() / nginx);
    }
  }
}
