package dev.tollgate.gateway;

import dev.tollgate.gateway.support.GatewayProcess;
import dev.tollgate.gateway.support.NginxProxy;
import dev.tollgate.gateway.support.Routes;
import dev.tollgate.gateway.support.Wrk;
import dev.tollgate.testkit.TempDirs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Requests/s and p50/p99 of the data plane with {@code wrk} on loopback, in one run: the upstream
 * (nginx serving {@code 200 ok}) directly, nginx proxying to it (the baseline), and the packaged
 * gateway (its own JVM, {@code java -jar}) proxying to the same upstream. Setups alternate for
 * several rounds and the median round of each is reported, so a burst of load from elsewhere on
 * the machine does not decide the ratio. Prints a Markdown table; asserts nothing.
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
  private GatewayBenchmark() {}

  public static void main(String[] args) throws Exception {
    Duration duration = Duration.ofSeconds(args.length > 0 ? Integer.parseInt(args[0]) : 8);
    int connections = args.length > 1 ? Integer.parseInt(args[1]) : 64;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    Path configDir = TempDirs.create("tollgate-bench");
    List<Wrk.Result> all = new ArrayList<>();
    try (NginxProxy nginx = NginxProxy.start()) {
      Files.writeString(
          configDir.resolve("routes.yaml"),
          Routes.simple("bench", "pathPrefix: /", nginx.upstreamUrl()));
      try (GatewayProcess gateway = GatewayProcess.start(configDir, List.of())) {
        String gatewayUrl = "http://127.0.0.1:" + gateway.port() + "/api";
        Wrk.run("warm-up", gatewayUrl, Duration.ofSeconds(5), connections);
        for (int round = 0; round < rounds; round++) {
          all.add(Wrk.run("upstream direct", nginx.upstreamUrl() + "/api", duration, connections));
          all.add(Wrk.run("nginx proxy", nginx.proxyUrl() + "/api", duration, connections));
          all.add(Wrk.run("gateway", gatewayUrl, duration, connections));
        }
      }
    } finally {
      TempDirs.deleteRecursively(configDir);
    }
    print(all, duration, connections, rounds);
  }

  private static void print(List<Wrk.Result> all, Duration duration, int connections, int rounds) {
    Map<String, List<Wrk.Result>> byName =
        all.stream().collect(Collectors.groupingBy(Wrk.Result::name));
    Function<String, Wrk.Result> median =
        name -> {
          List<Wrk.Result> runs = new ArrayList<>(byName.get(name));
          runs.sort(Comparator.comparingDouble(Wrk.Result::requestsPerSecond));
          return runs.get(runs.size() / 2);
        };
    double nginx = median.apply("nginx proxy").requestsPerSecond();
    System.out.printf(
        "wrk -t2 -c%d, %d s per run, median of %d rounds%n%n", connections, duration.toSeconds(), rounds);
    System.out.println("| setup | requests/s | p50 ms | p99 ms | failures | vs nginx |");
    System.out.println("|---|---:|---:|---:|---:|---:|");
    for (String name : List.of("upstream direct", "nginx proxy", "gateway")) {
      Wrk.Result r = median.apply(name);
      System.out.printf(
          "| %s | %.0f | %.2f | %.2f | %d | %.2fx |%n",
          name, r.requestsPerSecond(), r.p50Millis(), r.p99Millis(), r.failures(),
          r.requestsPerSecond() / nginx);
    }
    System.out.println();
    System.out.println("All runs (requests/s):");
    for (Wrk.Result r : all) {
      System.out.printf("  %-16s %.0f%n", r.name(), r.requestsPerSecond());
    }
  }
}
