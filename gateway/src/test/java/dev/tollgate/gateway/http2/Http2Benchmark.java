package dev.tollgate.gateway.http2;

import dev.tollgate.gateway.support.BenchmarkRun;
import dev.tollgate.gateway.support.H2load;
import dev.tollgate.gateway.support.TlsBenchSetup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * HTTP/2 throughput of the packaged gateway (its own JVM) against nginx doing the same (h2c with
 * prior knowledge, and h2 over TLS), both proxying to the same static upstream over HTTP/1.1, in
 * one run: setups alternate for several rounds and the median round of each is printed as a
 * Markdown table. Load from h2load with {@code connections} connections of 10 concurrent streams
 * each. Asserts nothing.
 *
 * <p>Not part of {@code verify}. From the repository root:
 *
 * <pre>
 * ./mvnw -B -q -pl gateway -am install -DskipTests
 * ./mvnw -B -q -pl gateway dependency:build-classpath -Dmdep.outputFile=target/test.cp
 * (cd gateway &amp;&amp; java -cp target/test-classes:target/classes:$(cat target/test.cp) \
 *     dev.tollgate.gateway.http2.Http2Benchmark [seconds per run] [connections] [rounds])
 * </pre>
 */
public final class Http2Benchmark {
  /** Streams per connection: enough to show multiplexing, below every default stream limit. */
  private static final int STREAMS = 10;

  private Http2Benchmark() {}

  public static void main(String[] args) throws Exception {
    BenchmarkRun run = BenchmarkRun.parse(args);
    try (TlsBenchSetup setup = TlsBenchSetup.start()) {
      Map<String, String> urls = new LinkedHashMap<>();
      urls.put("nginx h2c", setup.nginx().h2cProxyUrl() + "/api");
      urls.put("gateway h2c", setup.gatewayHttpUrl());
      urls.put("nginx h2 (TLS)", setup.nginx().tlsProxyUrl() + "/api");
      urls.put("gateway h2 (TLS)", setup.gatewayHttpsUrl());
      for (String warmUp : List.of("gateway h2c", "gateway h2 (TLS)")) {
        H2load.run("warm-up", urls.get(warmUp), Duration.ofSeconds(5), run.connections(), STREAMS);
      }
      List<H2load.Result> all = new ArrayList<>();
      for (int round = 0; round < run.rounds(); round++) {
        for (Map.Entry<String, String> url : urls.entrySet()) {
          all.add(
              H2load.run(url.getKey(), url.getValue(), run.duration(), run.connections(), STREAMS));
        }
      }
      System.out.printf(
          "h2load -t2 -c%d -m%d, %d s per run, median of %d rounds%n%n",
          run.connections(), STREAMS, run.duration().toSeconds(), run.rounds());
      System.out.println("| setup | requests/s | mean ms | failures | vs nginx same protocol |");
      System.out.println("|---|---:|---:|---:|---:|");
      for (String name : urls.keySet()) {
        String nginxName = name.endsWith("(TLS)") ? "nginx h2 (TLS)" : "nginx h2c";
        System.out.println(median(all, name).tableRow(median(all, nginxName)));
      }
    }
  }

  private static H2load.Result median(List<H2load.Result> all, String name) {
    return BenchmarkRun.median(all, name, H2load.Result::name, H2load.Result::requestsPerSecond);
  }
}
