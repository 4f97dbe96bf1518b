package dev.tollgate.gateway.ratelimit;

import static dev.tollgate.gateway.ratelimit.PolicyYaml.policy;
import static dev.tollgate.gateway.ratelimit.PolicyYaml.route;

import dev.tollgate.gateway.auth.TestKeys;
import dev.tollgate.gateway.support.NginxProxy;
import dev.tollgate.gateway.support.Wrk;
import dev.tollgate.testkit.TempDirs;
import dev.tollgate.testkit.redis.RedisServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
  /** A gateway configuration to measure; {@code authorization} is sent with every request. */
  private record Setup(String name, String yaml, String authorization) {}

  private PolicyEnforcementBenchmark() {}

  public static void main(String[] args) throws Exception {
    Duration duration = Duration.ofSeconds(args.length > 0 ? Integer.parseInt(args[0]) : 10);
    int connections = args.length > 1 ? Integer.parseInt(args[1]) : 64;
    Path jwksDir = TempDirs.create("bench-jwks");
    List<Wrk.Result> results = new ArrayList<>();
    try (RedisServer redis = RedisServer.start();
        NginxProxy nginx = NginxProxy.start()) {
      String upstream = nginx.upstreamUrl();
      results.add(Wrk.run("upstream direct", upstream + "/api", duration, connections));
      results.add(Wrk.run("nginx proxy", nginx.proxyUrl() + "/api", duration, connections));
      TestKeys.SigningKey key = TestKeys.rsa("bench");
      Path jwks = Files.writeString(jwksDir.resolve("jwks.json"), TestKeys.jwks(key));
      Map<String, String> settings =
          Map.of(
              "TOLLGATE_REDIS_URL", redis.uri(),
              "TOLLGATE_GATEWAY_NAME", "bench",
              "TOLLGATE_JWT_JWKS_FILE", jwks.toString());
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
        results.add(gateway(setup, settings, duration, connections));
      }
    } finally {
      TempDirs.deleteRecursively(jwksDir);
    }
    print(results, duration, connections);
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

  private static Wrk.Result gateway(
      Setup setup, Map<String, String> settings, Duration duration, int connections) {
    try (PolicyGateway gateway = PolicyGateway.start(setup.yaml(), settings)) {
      String url = gateway.uri("/api").toString();
      // as long as the measurement: the first setup also pays for class loading and JIT
      wrk("warm-up", url, setup.authorization(), duration, connections);
      return wrk(setup.name(), url, setup.authorization(), duration, connections);
    }
  }

  private static Wrk.Result wrk(
      String name, String url, String authorization, Duration duration, int connections) {
    return authorization.isEmpty()
        ? Wrk.run(name, url, duration, connections)
        : Wrk.runWithHeader(name, url, duration, connections, "Authorization: " + authorization);
  }

  private static void print(List<Wrk.Result> results, Duration duration, int connections) {
    double nginx = results.get(1).requestsPerSecond();
    System.out.printf(
        "%nwrk -t2 -c%d -d%ds, one 2-core machine, everything on loopback%n%n",
        connections, duration.toSeconds());
    // failures: non-2xx/3xx responses (the 429s of the over-limit setup) plus socket errors
    System.out.println("| setup | requests/s | p50 ms | p99 ms | failures | vs nginx |");
    System.out.println("|---|---:|---:|---:|---:|---:|");
    for (Wrk.Result r : results) {
      System.out.printf(
          "| %s | %.0f | %.2f | %.2f | %d | %.2fx |%n",
          r.name(),
          r.requestsPerSecond(),
          r.p50Millis(),
          r.p99Millis(),
          r.failures(),
          r.requestsPerSecond() / nginx);
    }
  }
}
