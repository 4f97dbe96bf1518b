package dev.tollgate.limiter;

import dev.tollgate.limiter.local.LocalRateLimiter;
import dev.tollgate.limiter.redis.BenchmarkEngines;
import dev.tollgate.limiter.redis.RedisLimiterOptions;
import dev.tollgate.testkit.TempDirs;
import dev.tollgate.testkit.redis.RedisServer;
import dev.tollgate.testkit.redis.RedisTlsFiles;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

/**
 * Decisions per second, latency percentiles and CPU per decision against one local redis-server,
 * for 1 and 3 limits per request, with {@code callers} decisions in flight at once on the engine's
 * one shared connection. Baselines in the same run: Redis PING on the same kind of connection, the
 * engine with batching off (every script call alone), and the in-process engine; and one limit over
 * TLS on either path (the engine's own sockets, Lettuce). Run (never part of verify):
 *
 * <pre>./mvnw -B -ntp -pl lua -am -Pbenchmark -DskipTests test -Dbenchmark.args="10 64"</pre>
 */
public final class LimiterBenchmark {
  private static final int CLIENTS = 10_000;
  private static final Duration WARMUP = Duration.ofSeconds(2);
  private static final AtomicInteger FAILURES = new AtomicInteger();

  private LimiterBenchmark() {}

  public static void main(String[] args) throws Exception {
    Duration measure = Duration.ofSeconds(args.length > 0 ? Long.parseLong(args[0]) : 10);
    int callers = args.length > 1 ? Integer.parseInt(args[1]) : 64;
    System.out.printf(
        "limiter benchmark: %d s per scenario, %d decisions in flight, %d clients, %d cores%n",
        measure.toSeconds(), callers, CLIENTS, Runtime.getRuntime().availableProcessors());
    try (RedisServer redis = RedisServer.start()) {
      RedisClient client = RedisClient.create(redis.uri());
      try (StatefulRedisConnection<String, String> connection = client.connect()) {
        run("redis PING (baseline)", callers, measure, () -> connection.async().ping(), redis);
      } finally {
        client.shutdown();
      }
      RedisLimiterOptions options =
          RedisLimiterOptions.defaults("bench")
              .withDecisionBudget(Duration.ofSeconds(5))
              .withOverLimitCacheBytes(0);
      for (int limits : new int[] {1, 3}) {
        for (boolean batched : new boolean[] {false, true}) {
          redis.cli("CONFIG", "RESETSTAT");
          try (RateLimiter limiter = BenchmarkEngines.redis(redis.uri(), options, batched)) {
            String name =
                "redis, " + limits + " limit(s)" + (batched ? ", batched" : ", 1 per call");
            run(name, callers, measure, requests(limiter, limits), redis);
          }
          System.out.println(
              "  redis server time per script call: "
                  + redis
                      .cli("INFO", "commandstats")
                      .lines()
                      .filter(line -> line.startsWith("cmdstat_evalsha"))
                      .findFirst()
                      .orElse("?"));
        }
      }
      overTls(callers, measure, options);
      for (int limits : new int[] {1, 3}) {
        try (RateLimiter limiter = new LocalRateLimiter()) {
          run(
              "in-process, " + limits + " limit(s)",
              callers,
              measure,
              requests(limiter, limits),
              null);
        }
      }
      System.out.println(
          "redis INFO memory: "
              + redis
                  .cli("INFO", "memory")
                  .lines()
                  .filter(line -> line.startsWith("used_memory_human"))
                  .findFirst()
                  .orElse("?"));
    }
  }

  /**
   * One limit per request against a TLS port of its own redis-server, over the engine's own sockets
   * ({@code verifyPeer=CA}) and over Lettuce ({@code verifyPeer=NONE}, which the engine leaves to
   * Lettuce): the two differ only in the handshake, which happens once per connection.
   */
  private static void overTls(int callers, Duration measure, RedisLimiterOptions options)
      throws Exception {
    Path dir = TempDirs.create("tollgate-bench-tls-");
    try {
      RedisTlsFiles tls = RedisTlsFiles.issue(dir);
      System.setProperty("javax.net.ssl.trustStore", tls.trustStore().toString());
      System.setProperty("javax.net.ssl.trustStorePassword", RedisTlsFiles.TRUST_STORE_PASSWORD);
      try (RedisServer redis = RedisServer.start(tls.serverArgs())) {
        for (String verify : new String[] {"CA", "NONE"}) {
          String url = "rediss://127.0.0.1:" + tls.tlsPort() + "?verifyPeer=" + verify;
          try (RateLimiter limiter = BenchmarkEngines.redis(url, options, true)) {
            String path = verify.equals("CA") ? "own sockets" : "Lettuce";
            run("redis TLS, 1 limit, " + path, callers, measure, requests(limiter, 1), redis);
          }
        }
      }
    } finally {
      TempDirs.deleteRecursively(dir);
    }
  }

  /** Random clients; generous limits so most decisions admit and write, the expensive path. */
  private static Supplier<CompletionStage<?>> requests(RateLimiter limiter, int limits) {
    Algorithm[] algorithms = {Algorithm.TOKEN_BUCKET, Algorithm.SLIDING_WINDOW, Algorithm.GCRA};
    List<LimitDefinition> definitions = new ArrayList<>();
    for (int i = 0; i < limits; i++) {
      definitions.add(
          LimitDefinition.of(
              new LimitId("bench", "policy", "limit-" + i),
              algorithms[i],
              1_000_000,
              Duration.ofMinutes(1)));
    }
    return () -> {
      String client = "sub=client-" + ThreadLocalRandom.current().nextInt(CLIENTS);
      List<LimitCheck> checks =
          definitions.stream().map(definition -> new LimitCheck(definition, client)).toList();
      return limiter.decide(new LimitRequest(checks));
    };
  }

  /**
   * Prints decisions/s and latency, and CPU time per decision of this JVM (engine and driver) and,
   * when given, of redis-server: CPU per decision varies far less with the shared machine's load
   * than decisions/s does.
   */
  private static void run(
      String name,
      int callers,
      Duration measure,
      Supplier<? extends CompletionStage<?>> call,
      RedisServer redis)
      throws Exception {
    drive(callers, WARMUP, call, null);
    FAILURES.set(0);
    long[] latencies = new long[64 * 1024 * 1024 / 8];
    AtomicInteger recorded = new AtomicInteger();
    double redisCpuBefore = redis == null ? 0 : redisCpuSeconds(redis);
    long jvmCpuBefore = jvmCpuNanos();
    long started = System.nanoTime();
    long done =
        drive(
            callers,
            measure,
            call,
            (latency) -> {
              int at = recorded.getAndIncrement();
              if (at < latencies.length) {
                latencies[at] = latency;
              }
            });
    double seconds = (System.nanoTime() - started) / 1e9;
    double jvmCpuMicros = (jvmCpuNanos() - jvmCpuBefore) / 1e3 / Math.max(done, 1);
    String redisCpu =
        redis == null
            ? ""
            : String.format(
                Locale.ROOT,
                ", redis %.1f us",
                (redisCpuSeconds(redis) - redisCpuBefore) * 1e6 / Math.max(done, 1));
    long[] sorted = Arrays.copyOf(latencies, Math.min(recorded.get(), latencies.length));
    Arrays.sort(sorted);
    System.out.printf(
        Locale.ROOT,
        "%-34s %,10.0f decisions/s   p50 %7.3f ms   p99 %7.3f ms   (%,d decisions, %d failed)"
            + "   cpu per decision: jvm %.1f us%s%n",
        name,
        done / seconds,
        percentile(sorted, 0.50) / 1e6,
        percentile(sorted, 0.99) / 1e6,
        done,
        FAILURES.get(),
        jvmCpuMicros,
        redisCpu);
  }

  private static long jvmCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** used_cpu_user + used_cpu_sys of redis-server's main process, in seconds. */
  private static double redisCpuSeconds(RedisServer redis) {
    return redis
        .cli("INFO", "cpu")
        .lines()
        .filter(line -> line.startsWith("used_cpu_user:") || line.startsWith("used_cpu_sys:"))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.indexOf(':') + 1).strip()))
        .sum();
  }

  /** Keeps {@code callers} calls in flight until the time is up; returns how many completed. */
  private static long drive(
      int callers,
      Duration duration,
      Supplier<? extends CompletionStage<?>> call,
      LongConsumer latencySink)
      throws Exception {
    long deadline = System.nanoTime() + duration.toNanos();
    AtomicLong completed = new AtomicLong();
    List<CompletableFuture<Void>> chains = new ArrayList<>();
    for (int i = 0; i < callers; i++) {
      CompletableFuture<Void> chain = new CompletableFuture<>();
      chains.add(chain);
      next(call, deadline, completed, latencySink, chain);
    }
    CompletableFuture.allOf(chains.toArray(CompletableFuture[]::new)).get();
    return completed.get();
  }

  private static void next(
      Supplier<? extends CompletionStage<?>> call,
      long deadline,
      AtomicLong completed,
      LongConsumer latencySink,
      CompletableFuture<Void> chain) {
    // A loop, not recursion: a synchronously completed stage (the in-process engine) would
    // otherwise grow the stack with every call.
    while (System.nanoTime() < deadline) {
      long start = System.nanoTime();
      CompletableFuture<?> future = call.get().toCompletableFuture();
      if (!future.isDone()) {
        future.whenComplete(
            (result, failure) -> {
              record(failure, start, completed, latencySink);
              next(call, deadline, completed, latencySink, chain);
            });
        return;
      }
      record(
          future.isCompletedExceptionally() ? future.exceptionNow() : null,
          start,
          completed,
          latencySink);
    }
    chain.complete(null);
  }

  private static void record(
      Throwable failure, long start, AtomicLong completed, LongConsumer latencySink) {
    if (failure != null) {
      // A failed decision (over its budget on a starved machine) is counted, not fatal.
      if (FAILURES.incrementAndGet() == 1) {
        System.out.println("  first failure: " + failure);
      }
      return;
    }
    completed.incrementAndGet();
    if (latencySink != null) {
      latencySink.accept(System.nanoTime() - start);
    }
  }

  private static double percentile(long[] sorted, double quantile) {
    return sorted.length == 0
        ? 0
        : sorted[(int) Math.min(sorted.length - 1, quantile * sorted.length)];
  }
}
