package dev.tollgate.gateway;

import dev.tollgate.gateway.support.GatewayProcess;
import dev.tollgate.gateway.support.HalfLoadTable;
import dev.tollgate.gateway.support.NginxLuaLimitProxy;
import dev.tollgate.gateway.support.NginxProxy;
import dev.tollgate.gateway.support.Wrk;
import dev.tollgate.testkit.ProcessCounters;
import dev.tollgate.testkit.TempDirs;
import dev.tollgate.testkit.redis.RedisServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

/**
 * The data plane against its targets in one run (docs/benchmarks.md, "One-command benchmark"):
 * nginx proxying to a static nginx upstream in a process of its own (the baseline) and the packaged
 * gateway jar in front of the same upstream, with no limit, with one Redis token-bucket limit keyed
 * by a header (1,000 users), and with 10,000 Routes + 10,000 policies (one limit each; the last
 * route is hit) against the same limit with three. Setups alternate for several rounds; each
 * setup's median round is reported, with the spread of all rounds, the CPU per request of the
 * process serving it (gateway or nginx worker) and of Redis, that process's RSS under load, and the
 * load average of the machine. nginx proxying to an upstream served by its own worker, the baseline
 * of figures taken before 2026-12-06, runs in every round too, and the targets are printed against
 * it as well. So does the design Kong's and APISIX's Redis rate limiting share, nginx with the Lua
 * module running one Redis token-bucket script per request ({@link NginxLuaLimitProxy}), with the
 * same limit, key and upstream: what the one-limit target is drawn from. Then nginx and the gateway
 * run once more at half load with a pause per request, for the p99 each adds to the upstream's: all
 * at half the no-limit gateway's rate, and the one-limit gateway and nginx + Lua at half the
 * one-limit gateway's. Prints Markdown; asserts nothing.
 *
 * <p>Not part of {@code verify}: run {@code make bench} (tools/bench.sh), which builds the jar and
 * passes its arguments here: {@code [seconds per run] [rounds] [--gc] [--access-stream]
 * [--compare-jar=PATH]}. {@code --gc} adds the one-limit setup on ParallelGC and on generational
 * ZGC (the default is G1); {@code --access-stream} adds the no-limit setup writing every request to
 * the access stream on the same redis-server (the sink's cost: its rate and CPU per request against
 * the no-limit setup's); {@code --compare-jar} adds the no-limit, one-limit and 10,000-route setups
 * on another jar (a build of an earlier commit) for a before/after in the same run, and with {@code
 * --access-stream} its access-stream setup too.
 */
public final class DataPlaneBenchmark {
  private static final int CONNECTIONS = 64;

  /**
   * Class loading, JIT and the first limiter connections: at full load a fresh gateway reaches its
   * steady cost per request after about 10 s and still gains a little for 20 s more (benchmarks.md,
   * "warm-up"); a shorter warm-up measures the compiler, not the gateway.
   */
  private static final Duration MIN_WARM_UP = Duration.ofSeconds(30);

  private static final int USERS = 1000;

  /** Every limit's rate and size: never refusing, so every request is decided by Redis. */
  private static final long LIMIT_PER_SECOND = 1_000_000;

  private static final int LARGE_CONFIG = 10_000;
  private static final String NGINX = "nginx proxy";

  /** The earlier baseline: the same nginx worker proxies and serves the upstream. */
  private static final String NGINX_SAME_WORKER = "nginx proxy, upstream in its worker";

  /** The OpenResty + Redis Lua design, with the one-limit setups' limit. */
  private static final String NGINX_LUA =
      "nginx + Lua, 1 Redis token bucket per request (Kong / APISIX design)";

  private static final String NO_LIMIT = "gateway, no limit";
  private static final String ONE_LIMIT = "gateway, 1 Redis limit";
  private static final String LARGE = "gateway, 10k routes + 10k policies, 1 limit";
  private static final String STREAM = "gateway, no limit, access stream on";

  /** Every request carries one of {@value #USERS} user names, the key of the limit. */
  private static final String USERS_SCRIPT =
      """
      local n = 0
      request = function()
        n = (n + 1) %% %d
        return wrk.format(nil, nil, {["X-User"] = "user-" .. n})
      end
      """
          .formatted(USERS);

  /**
   * A gateway configuration to measure, started once and kept for all rounds.
   *
   * @param flags gateway flags besides the Redis URL all setups get
   */
  private record Setup(
      String name,
      Path jar,
      Path configDir,
      List<String> jvmArgs,
      List<String> flags,
      String path) {
    Setup(String name, Path jar, Path configDir, List<String> jvmArgs, String path) {
      this(name, jar, configDir, jvmArgs, List.of(), path);
    }
  }

  /**
   * One wrk run plus, during it, the CPU per request of the process serving it (the gateway, or the
   * nginx worker) and of Redis, the serving process's context switches per request (its threads'
   * hand-offs and preemptions), and its RSS at the end.
   */
  private record Run(
      Wrk.Result wrk,
      double cpuMicrosPerRequest,
      double redisMicrosPerRequest,
      double contextSwitchesPerRequest,
      long rssKiB) {}

  private DataPlaneBenchmark() {}

  public static void main(String[] args) throws Exception {
    List<String> positional = new ArrayList<>();
    boolean gcVariants = false;
    boolean accessStream = false;
    Path compareJar = null;
    for (String arg : args) {
      if (arg.equals("--gc")) {
        gcVariants = true;
      } else if (arg.equals("--access-stream")) {
        accessStream = true;
      } else if (arg.startsWith("--compare-jar=")) {
        compareJar = Path.of(arg.substring("--compare-jar=".length())).toAbsolutePath();
      } else {
        positional.add(arg);
      }
    }
    Duration duration =
        Duration.ofSeconds(positional.isEmpty() ? 8 : Integer.parseInt(positional.get(0)));
    int rounds = positional.size() > 1 ? Integer.parseInt(positional.get(1)) : 3;
    Path jar = Path.of("target", "tollgate-gateway.jar").toAbsolutePath();
    Path dirs = TempDirs.create("tollgate-dataplane-bench");
    String loadBefore = ProcessCounters.loadAverage();
    try (NginxProxy nginx = NginxProxy.start();
        RedisServer redis = RedisServer.start();
        NginxLuaLimitProxy nginxLua =
            NginxLuaLimitProxy.start(
                URI.create(nginx.upstreamUrl()), redis, "X-User", LIMIT_PER_SECOND)) {
      String upstream = nginx.upstreamUrl();
      Path small = writeConfig(dirs.resolve("three"), 3, false, upstream);
      Path limited = writeConfig(dirs.resolve("three-limited"), 3, true, upstream);
      Path large = writeConfig(dirs.resolve("large"), LARGE_CONFIG, true, upstream);
      String smallPath = "/svc-2/items";
      String largePath = "/svc-" + (LARGE_CONFIG - 1) + "/items";
      List<Setup> setups = new ArrayList<>();
      setups.add(new Setup(NO_LIMIT, jar, small, List.of(), smallPath));
      setups.add(new Setup(ONE_LIMIT, jar, limited, List.of(), smallPath));
      setups.add(new Setup(LARGE, jar, large, List.of("-Xmx1g"), largePath));
      if (gcVariants) {
        setups.add(new Setup(ONE_LIMIT + ", ParallelGC", jar, limited, gc("Parallel"), smallPath));
        setups.add(new Setup(ONE_LIMIT + ", ZGC", jar, limited, gc("Z"), smallPath));
      }
      if (accessStream) {
        setups.add(
            new Setup(STREAM, jar, small, List.of(), List.of("--access-stream=on"), smallPath));
      }
      if (compareJar != null) {
        setups.add(new Setup("compared jar: no limit", compareJar, small, List.of(), smallPath));
        setups.add(
            new Setup("compared jar: 1 Redis limit", compareJar, limited, List.of(), smallPath));
        setups.add(
            new Setup("compared jar: 10k routes", compareJar, large, List.of("-Xmx1g"), largePath));
        if (accessStream) {
          setups.add(
              new Setup(
                  "compared jar: " + STREAM.substring("gateway, ".length()),
                  compareJar,
                  small,
                  List.of(),
                  List.of("--access-stream=on"),
                  smallPath));
        }
      }
      run(setups, nginx, nginxLua, redis, duration, rounds, loadBefore);
    } finally {
      TempDirs.deleteRecursively(dirs);
    }
  }

  private static List<String> gc(String name) {
    return List.of("-XX:+Use" + name + "GC");
  }

  private static void run(
      List<Setup> setups,
      NginxProxy nginx,
      NginxLuaLimitProxy nginxLua,
      RedisServer redis,
      Duration duration,
      int rounds,
      String loadBefore) {
    List<String> flags = List.of("--redis-url=" + redis.uri());
    Map<String, GatewayProcess> gateways = new LinkedHashMap<>();
    Map<String, Duration> startTimes = new LinkedHashMap<>();
    try {
      for (Setup setup : setups) {
        long start = System.nanoTime();
        gateways.put(
            setup.name(),
            GatewayProcess.start(
                setup.jar(),
                setup.configDir(),
                setup.jvmArgs(),
                Stream.concat(flags.stream(), setup.flags().stream()).toList()));
        startTimes.put(setup.name(), Duration.ofNanos(System.nanoTime() - start));
      }
      // one worker serves both nginx baselines (and the earlier one's upstream)
      long nginxWorker = nginx.proxyWorkerPid();
      Map<String, Long> pids = new LinkedHashMap<>();
      pids.put(NGINX, nginxWorker);
      pids.put(NGINX_SAME_WORKER, nginxWorker);
      pids.put(NGINX_LUA, nginxLua.workerPid());
      gateways.forEach((name, gateway) -> pids.put(name, gateway.pid()));
      Map<String, String> urls = new LinkedHashMap<>();
      urls.put(NGINX, nginx.proxyUrl() + "/svc-2/items");
      urls.put(NGINX_SAME_WORKER, nginx.sameWorkerProxyUrl() + "/svc-2/items");
      urls.put(NGINX_LUA, nginxLua.url() + "/svc-2/items");
      for (Setup setup : setups) {
        urls.put(
            setup.name(), "http://127.0.0.1:" + gateways.get(setup.name()).port() + setup.path());
      }
      Duration warmUp = duration.compareTo(MIN_WARM_UP) > 0 ? duration : MIN_WARM_UP;
      for (Setup setup : setups) {
        Wrk.withScript("warm-up", urls.get(setup.name()), warmUp, CONNECTIONS, USERS_SCRIPT);
      }
      Map<String, List<Run>> runs = new LinkedHashMap<>();
      for (int round = 0; round < rounds; round++) {
        for (Map.Entry<String, String> target : urls.entrySet()) {
          runs.computeIfAbsent(target.getKey(), k -> new ArrayList<>())
              .add(
                  measure(
                      target.getKey(),
                      target.getValue(),
                      pids.get(target.getKey()),
                      redis.pid(),
                      duration));
        }
      }
      String loadAfter = ProcessCounters.loadAverage();
      printFullLoad(runs, duration, rounds, loadBefore, loadAfter, startTimes);
      printTargets(runs);
      printHalfLoad(nginx, urls, runs, duration);
      System.out.printf(
          "%nLoad average (1, 5, 15 min) at the end: %s%n", ProcessCounters.loadAverage());
    } finally {
      gateways.values().forEach(GatewayProcess::close);
    }
  }

  private static Run measure(String name, String url, long pid, long redisPid, Duration duration) {
    long cpuBefore = ProcessCounters.cpuTicks(pid);
    long redisBefore = ProcessCounters.cpuTicks(redisPid);
    long switchesBefore = ProcessCounters.contextSwitches(pid);
    Wrk.Result wrk = Wrk.withScript(name, url, duration, CONNECTIONS, USERS_SCRIPT);
    double requests = wrk.requestsPerSecond() * duration.toSeconds();
    // clock ticks are 10 ms (USER_HZ 100 on Linux)
    return new Run(
        wrk,
        (ProcessCounters.cpuTicks(pid) - cpuBefore) * 10_000.0 / requests,
        (ProcessCounters.cpuTicks(redisPid) - redisBefore) * 10_000.0 / requests,
        (ProcessCounters.contextSwitches(pid) - switchesBefore) / requests,
        ProcessCounters.rssKiB(pid));
  }

  private static void printFullLoad(
      Map<String, List<Run>> runs,
      Duration duration,
      int rounds,
      String loadBefore,
      String loadAfter,
      Map<String, Duration> startTimes) {
    Run nginx = median(runs.get(NGINX));
    System.out.printf(
        "%n%d cores; wrk -t2 -c%d, %d users by header, %d s per run, %d interleaved rounds, median"
            + " round shown; load average (1, 5, 15 min) %s before, %s after%n%n",
        Runtime.getRuntime().availableProcessors(),
        CONNECTIONS,
        USERS,
        duration.toSeconds(),
        rounds,
        loadBefore,
        loadAfter);
    System.out.println(
        "| setup | requests/s (all rounds) | median | p50 / p99 ms | vs nginx | p99 vs nginx |"
            + " CPU us/request | Redis CPU us/request | context switches/request | RSS MB | ready"
            + " after s | failures |");
    System.out.println("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (Map.Entry<String, List<Run>> entry : runs.entrySet()) {
      Run median = median(entry.getValue());
      Wrk.Result r = median.wrk();
      Duration ready = startTimes.get(entry.getKey());
      System.out.printf(
          "| %s | %s | %.0f | %.2f / %.2f | %.2fx | %.1fx | %.1f | %.1f | %.2f | %d | %s | %d |%n",
          entry.getKey(),
          String.join(
              " / ",
              entry.getValue().stream()
                  .map(run -> "%.0f".formatted(run.wrk().requestsPerSecond()))
                  .toList()),
          r.requestsPerSecond(),
          r.p50Millis(),
          r.p99Millis(),
          r.requestsPerSecond() / nginx.wrk().requestsPerSecond(),
          r.p99Millis() / nginx.wrk().p99Millis(),
          median.cpuMicrosPerRequest(),
          median.redisMicrosPerRequest(),
          median.contextSwitchesPerRequest(),
          median.rssKiB() / 1024,
          ready == null ? "-" : "%.1f".formatted(ready.toMillis() / 1000.0),
          r.failures());
    }
  }

  private static void printTargets(Map<String, List<Run>> runs) {
    Wrk.Result one = median(runs.get(ONE_LIMIT)).wrk();
    Wrk.Result lua = median(runs.get(NGINX_LUA)).wrk();
    Wrk.Result large = median(runs.get(LARGE)).wrk();
    System.out.println();
    System.out.println(
        "| target | measured (median round) | range over rounds | met | against nginx with the"
            + " upstream in its worker (range) |");
    System.out.println("|---|---:|---|---|---|");
    againstNginx(
        runs, "no limit >= 0.8x nginx", NO_LIMIT, Wrk.Result::requestsPerSecond, 0.8, true);
    againstNginx(
        runs, "one Redis limit >= 0.6x nginx", ONE_LIMIT, Wrk.Result::requestsPerSecond, 0.6, true);
    target(
        "one Redis limit >= 1.5x nginx + Lua (what 0.6x nginx stands for)",
        one.requestsPerSecond() / lua.requestsPerSecond(),
        ratios(runs, NGINX_LUA, ONE_LIMIT, Wrk.Result::requestsPerSecond),
        1.5,
        true,
        "-");
    againstNginx(
        runs,
        "p99 without a limit <= 2x nginx's (full load)",
        NO_LIMIT,
        Wrk.Result::p99Millis,
        2,
        false);
    againstNginx(
        runs,
        "p99 with one limit <= 2x nginx's (full load)",
        ONE_LIMIT,
        Wrk.Result::p99Millis,
        2,
        false);
    target(
        "10k routes + 10k policies >= 0.95x three routes (one limit)",
        large.requestsPerSecond() / one.requestsPerSecond(),
        "",
        0.95,
        true,
        "-");
    if (runs.containsKey(STREAM)) {
      Run without = median(runs.get(NO_LIMIT));
      Run with = median(runs.get(STREAM));
      target(
          "access stream on >= 0.95x off (requests/s)",
          with.wrk().requestsPerSecond() / without.wrk().requestsPerSecond(),
          "",
          0.95,
          true,
          "-");
      target(
          "access stream on <= 1.05x off (gateway CPU per request)",
          with.cpuMicrosPerRequest() / without.cpuMicrosPerRequest(),
          "",
          1.05,
          false,
          "-");
    }
  }

  /**
   * A target on the setup's figure over nginx's (at least or at most {@code goal} times nginx's),
   * judged against the baseline and shown against the earlier one too.
   */
  private static void againstNginx(
      Map<String, List<Run>> runs,
      String name,
      String setup,
      ToDoubleFunction<Wrk.Result> figure,
      double goal,
      boolean atLeast) {
    double value = figure.applyAsDouble(median(runs.get(setup)).wrk());
    target(
        name,
        value / figure.applyAsDouble(median(runs.get(NGINX)).wrk()),
        ratios(runs, NGINX, setup, figure),
        goal,
        atLeast,
        "%.2fx (%s)"
            .formatted(
                value / figure.applyAsDouble(median(runs.get(NGINX_SAME_WORKER)).wrk()),
                ratios(runs, NGINX_SAME_WORKER, setup, figure)));
  }

  /**
   * The setup's figure over a baseline's, round by round (rounds are interleaved, so paired): the
   * spread behind the median's ratio.
   */
  private static String ratios(
      Map<String, List<Run>> runs,
      String baseline,
      String name,
      ToDoubleFunction<Wrk.Result> figure) {
    List<Run> reference = runs.get(baseline);
    List<Run> setup = runs.get(name);
    List<Double> ratios = new ArrayList<>();
    for (int i = 0; i < setup.size(); i++) {
      ratios.add(
          figure.applyAsDouble(setup.get(i).wrk()) / figure.applyAsDouble(reference.get(i).wrk()));
    }
    return "%.2f-%.2fx"
        .formatted(
            ratios.stream().mapToDouble(d -> d).min().orElse(0),
            ratios.stream().mapToDouble(d -> d).max().orElse(0));
  }

  private static void target(
      String name, double value, String range, double goal, boolean atLeast, String earlier) {
    boolean met = atLeast ? value >= goal : value <= goal;
    System.out.printf(
        "| %s | %.2fx | %s | %s | %s |%n", name, value, range, met ? "yes" : "**no**", earlier);
  }

  /**
   * Latency at half load, where queueing does not dominate: first every setup at half the no-limit
   * gateway's full-load rate (all get the same pause per request, so all see nearly the same
   * request rate), then the one-limit gateway at half its own full-load rate with the upstream,
   * nginx and nginx + Lua at the same pause: half of what that setup can serve, as a user would
   * size it.
   */
  private static void printHalfLoad(
      NginxProxy nginx, Map<String, String> urls, Map<String, List<Run>> runs, Duration duration) {
    String upstream = nginx.upstreamUrl() + "/svc-2/items";
    pacedRuns(
        "half the no-limit gateway's rate",
        median(runs.get(NO_LIMIT)).wrk().requestsPerSecond() / 2,
        List.of(NGINX, NO_LIMIT, ONE_LIMIT),
        upstream,
        urls,
        duration);
    pacedRuns(
        "half the one-limit gateway's own rate",
        median(runs.get(ONE_LIMIT)).wrk().requestsPerSecond() / 2,
        List.of(NGINX, ONE_LIMIT, NGINX_LUA),
        upstream,
        urls,
        duration);
  }

  private static void pacedRuns(
      String what,
      double aim,
      List<String> setups,
      String upstream,
      Map<String, String> urls,
      Duration duration) {
    int delayMillis = HalfLoadTable.delayMillis(CONNECTIONS, aim);
    String script = USERS_SCRIPT + "function delay() return %d end%n".formatted(delayMillis);
    List<Wrk.Result> paced = new ArrayList<>();
    paced.add(Wrk.withScript("upstream direct", upstream, duration, CONNECTIONS, script));
    for (String setup : setups) {
      paced.add(Wrk.withScript(setup, urls.get(setup), duration, CONNECTIONS, script));
    }
    HalfLoadTable.print(what, paced, CONNECTIONS, delayMillis, aim);
  }

  private static Run median(List<Run> runs) {
    List<Run> sorted = new ArrayList<>(runs);
    sorted.sort(Comparator.comparingDouble(run -> run.wrk().requestsPerSecond()));
    return sorted.get(sorted.size() / 2);
  }

  /**
   * A standalone config directory: {@code count} prefix Routes {@code /svc-<i>} to the upstream,
   * each with its own policy of one token-bucket limit keyed by the {@code X-User} header when
   * {@code limited} ({@link #LIMIT_PER_SECOND} per user).
   */
  private static Path writeConfig(Path dir, int count, boolean limited, String upstream) {
    StringBuilder yaml = new StringBuilder();
    for (int i = 0; i < count; i++) {
      yaml.append(
          """
          ---
          apiVersion: tollgate.dev/v1alpha1
          kind: Route
          metadata: {name: svc-%1$d, namespace: bench}
          spec:
            match: {pathPrefix: /svc-%1$d}
            backend: {endpoints: ["%2$s"]}
          """
              .formatted(i, upstream));
      if (limited) {
        yaml.append(
            """
            ---
            apiVersion: tollgate.dev/v1alpha1
            kind: RateLimitPolicy
            metadata: {name: svc-%1$d, namespace: bench}
            spec:
              targetRefs: [{kind: Route, name: svc-%1$d}]
              limits:
              - name: per-user
                rate: {requests: %2$d, period: 1s}
                key: [{header: X-User}]
            """
                .formatted(i, LIMIT_PER_SECOND));
      }
    }
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("config.yaml"), yaml);
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
