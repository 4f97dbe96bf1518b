package dev.tollgate.gateway;

import dev.tollgate.gateway.support.BenchmarkRun;
import dev.tollgate.gateway.support.GatewayProcess;
import dev.tollgate.gateway.support.HalfLoadTable;
import dev.tollgate.gateway.support.NginxProxy;
import dev.tollgate.gateway.support.Routes;
import dev.tollgate.gateway.support.Wrk;
import dev.tollgate.testkit.TempDirs;
import dev.tollgate.testkit.redis.RedisServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Requests/s and p50/p99 of the data plane with {@code wrk} on loopback, in one run: the upstream
 * (nginx serving {@code 200 ok}) directly, nginx proxying to it (the baseline), and the packaged
 * gateway (its own JVM, {@code java -jar}) proxying to the same upstream, once as is and once
 * writing every request to the access stream on a local redis-server (the sink's cost). Setups
 * alternate for several rounds and the median round of each is reported, so a burst of load from
 * elsewhere on the machine does not decide the ratio. Then each setup runs once more at about half
 * the gateway's full-load rate, for the latency the gateway adds when it is not saturated. Prints
 * Markdown tables; asserts nothing.
 *
 * <p>Not part of {@code verify}. From the repository root:
 *
 * <pre>
 * ./mvnw -B -q -pl gateway -am install -DskipTests
 * ./mvnw -B -q -pl gateway dependency:build-classpath -Dmdep.outputFile=target/test.cp
 * (cd gateway &amp;&amp; java -cp target/test-classes:target/classes:$(cat target/test.cp) \
 *     dev.tollgate.gateway.GatewayBenchmark [seconds per run] [connections] [rounds])
 * </pre>
 */
public final class GatewayBenchmark {
  private static final List<String> SETUPS =
      List.of("upstream direct", "nginx proxy", "gateway", "gateway + access stream");

  private GatewayBenchmark() {}

  public static void main(String[] args) throws Exception {
    BenchmarkRun run = BenchmarkRun.parse(args);
    Duration duration = run.duration();
    int connections = run.connections();
    int rounds = run.rounds();
    Path configDir = TempDirs.create("tollgate-bench");
    List<Wrk.Result> all = new ArrayList<>();
    try (NginxProxy nginx = NginxProxy.start();
        RedisServer redis = RedisServer.start()) {
      Files.writeString(
          configDir.resolve("routes.yaml"),
          Routes.simple("bench", "pathPrefix: /", nginx.upstreamUrl()));
      // Both gateways know the same Redis (unused without a policy); one also writes every request
      // to the access stream, so the difference between them is the sink's cost.
      List<String> redisFlag = List.of("--redis-url=" + redis.uri());
      List<String> streamFlags = List.of("--redis-url=" + redis.uri(), "--access-stream=on");
      try (GatewayProcess gateway = GatewayProcess.start(configDir, List.of(), redisFlag);
          GatewayProcess streaming = GatewayProcess.start(configDir, List.of(), streamFlags)) {
        String gatewayUrl = "http://127.0.0.1:" + gateway.port() + "/api";
        String streamingUrl = "http://127.0.0.1:" + streaming.port() + "/api";
        Map<String, String> urls =
            Map.of(
                "upstream direct",
                nginx.upstreamUrl() + "/api",
                "nginx proxy",
                nginx.proxyUrl() + "/api",
                "gateway",
                gatewayUrl,
                "gateway + access stream",
                streamingUrl);
        Wrk.run("warm-up", gatewayUrl, Duration.ofSeconds(5), connections);
        Wrk.run("warm-up", streamingUrl, Duration.ofSeconds(5), connections);
        for (int round = 0; round < rounds; round++) {
          for (String name : SETUPS) {
            all.add(Wrk.run(name, urls.get(name), duration, connections));
          }
        }
        print(all, duration, connections, rounds);
        System.out.printf(
            "%nAccess stream: %s entries in Redis; sink on vs off: %.3fx%n",
            redis.cli("XLEN", "tollgate:{default:access}:stream"),
            median(all, "gateway + access stream").requestsPerSecond()
                / median(all, "gateway").requestsPerSecond());
        halfLoad(all, urls, duration, connections);
      }
    } finally {
      TempDirs.deleteRecursively(configDir);
    }
  }

  /**
   * Latency at about half the gateway's full-load rate, where queueing does not dominate: every
   * setup gets the same per-request pause, so all three see nearly the same request rate.
   */
  private static void halfLoad(
      List<Wrk.Result> full, Map<String, String> urls, Duration duration, int connections) {
    double half = median(full, "gateway").requestsPerSecond() / 2;
    int delayMillis = HalfLoadTable.delayMillis(connections, half);
    List<Wrk.Result> paced = new ArrayList<>();
    for (String name : SETUPS) {
      paced.add(Wrk.paced(name, urls.get(name), duration, connections, delayMillis));
    }
    HalfLoadTable.print("half the gateway's rate", paced, connections, delayMillis, half);
  }

  private static Wrk.Result median(List<Wrk.Result> all, String name) {
    List<Wrk.Result> runs = new ArrayList<>();
    for (Wrk.Result r : all) {
      if (r.name().equals(name)) {
        runs.add(r);
      }
    }
    runs.sort(Comparator.comparingDouble(Wrk.Result::requestsPerSecond));
    return runs.get(runs.size() / 2);
  }

  private static void print(List<Wrk.Result> all, Duration duration, int connections, int rounds) {
    System.out.printf(
        "wrk -t2 -c%d, %d s per run, median of %d rounds%n%n",
        connections, duration.toSeconds(), rounds);
    System.out.println("| setup | requests/s | p50 ms | p99 ms | failures | vs nginx |");
    System.out.println("|---|---:|---:|---:|---:|---:|");
    for (String name : SETUPS) {
      System.out.println(median(all, name).tableRow(median(all, "nginx proxy")));
    }
    System.out.println();
    System.out.println("All runs (requests/s):");
    for (Wrk.Result r : all) {
      System.out.printf("  %-16s %.0f%n", r.name(), r.requestsPerSecond());
    }
  }
}
