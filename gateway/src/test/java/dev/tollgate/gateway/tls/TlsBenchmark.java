package dev.tollgate.gateway.tls;

import dev.tollgate.gateway.support.BenchmarkRun;
import dev.tollgate.gateway.support.TlsBenchSetup;
import dev.tollgate.gateway.support.Wrk;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * HTTPS throughput of the packaged gateway (its own JVM) against nginx terminating TLS in front of
 * the same static upstream, with plain HTTP of both as the reference, in one run: setups alternate
 * for several rounds and the median round of each is printed as a Markdown table. wrk keeps its
 * connections open, so this measures TLS record processing, not handshakes. Asserts nothing.
 *
 * <p>Not part of {@code verify}. From the repository root:
 *
 * <pre>
 * ./mvnw -B -q -pl gateway -am install -DskipTests
 * ./mvnw -B -q -pl gateway dependency:build-classpath -Dmdep.outputFile=target/test.cp
 * (cd gateway &amp;&amp; java -cp target/test-classes:target/classes:$(cat target/test.cp) \
 *     dev.tollgate.gateway.tls.TlsBenchmark [seconds per run] [connections] [rounds])
 * </pre>
 */
public final class TlsBenchmark {
  private TlsBenchmark() {}

  public static void main(String[] args) throws Exception {
    BenchmarkRun run = BenchmarkRun.parse(args);
    try (TlsBenchSetup setup = TlsBenchSetup.start()) {
      Map<String, String> urls = new LinkedHashMap<>();
      urls.put("nginx http", setup.nginx().proxyUrl() + "/api");
      urls.put("gateway http", setup.gatewayHttpUrl());
      urls.put("nginx https", setup.nginx().tlsProxyUrl() + "/api");
      urls.put("gateway https", setup.gatewayHttpsUrl());
      Wrk.run("warm-up", urls.get("gateway http"), Duration.ofSeconds(5), run.connections());
      Wrk.run("warm-up", urls.get("gateway https"), Duration.ofSeconds(5), run.connections());
      List<Wrk.Result> all = new ArrayList<>();
      for (int round = 0; round < run.rounds(); round++) {
        for (Map.Entry<String, String> url : urls.entrySet()) {
          all.add(Wrk.run(url.getKey(), url.getValue(), run.duration(), run.connections()));
        }
      }
      System.out.printf(
          "wrk -t2 -c%d, %d s per run, median of %d rounds%n%n",
          run.connections(), run.duration().toSeconds(), run.rounds());
      System.out.println(
          "| setup | requests/s | p50 ms | p99 ms | failures | vs nginx same protocol |");
      System.out.println("|---|---:|---:|---:|---:|---:|");
      for (String name : urls.keySet()) {
        String nginxName = name.endsWith("https") ? "nginx https" : "nginx http";
        System.out.println(median(all, name).tableRow(median(all, nginxName)));
      }
    }
  }

  private static Wrk.Result median(List<Wrk.Result> all, String name) {
    return BenchmarkRun.median(all, name, Wrk.Result::name, Wrk.Result::requestsPerSecond);
  }
}
