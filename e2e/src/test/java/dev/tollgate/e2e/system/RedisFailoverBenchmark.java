package dev.tollgate.e2e.system;

import dev.tollgate.testkit.ProcessCounters;
import dev.tollgate.testkit.kube.KubeApiServer;
import dev.tollgate.testkit.redis.RedisCluster;
import dev.tollgate.testkit.redis.RedisSentinelTopology;
import dev.tollgate.testkit.redis.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The failover scenarios of {@link SentinelFailoverIT}, {@link ClusterFailoverIT} and {@link
 * RedisRestartIT} with a longer, heavier load and the production decision budget, printing the
 * figures table of docs/benchmarks.md (and the machine's load average before and after, since the
 * figures depend on it). Each scenario runs on fresh Redis processes, operator and gateways.
 *
 * <p>Arguments (all optional): requests per route and second (default 150), seconds of load before
 * the fault and after the config change (default 20), the gateways' decision budget (default 50ms).
 *
 * <pre>
 * ./mvnw -B -ntp -pl e2e -am package dependency:build-classpath -DskipTests \
 *     -Dmdep.includeScope=test -Dmdep.outputFile=/tmp/tollgate-e2e-classpath.txt
 * java -cp e2e/target/test-classes:$(cat /tmp/tollgate-e2e-classpath.txt) \
 *     dev.tollgate.e2e.system.RedisFailoverBenchmark 150 20 50ms
 * </pre>
 */
public final class RedisFailoverBenchmark {
  private RedisFailoverBenchmark() {}

  public static void main(String[] args) throws Exception {
    int rate = args.length > 0 ? Integer.parseInt(args[0]) : 150;
    Duration phase = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 20);
    String budget = args.length > 2 ? args[2] : "50ms";
    // The exact client still has half a phase of allowance left at the fault and none at the end.
    int exact = (int) (rate * (phase.toSeconds() + phase.toSeconds() / 2));
    FailoverScenario.Plan plan =
        new FailoverScenario.Plan(
            rate, exact, phase, phase, Duration.ofMillis(Long.parseLong(budget.replace("ms", ""))));
    String loadBefore = ProcessCounters.loadAverage();
    List<String> rows = new ArrayList<>();
    try (KubeApiServer api = KubeApiServer.start()) {
      try (RedisSentinelTopology redis = RedisSentinelTopology.start()) {
        rows.add(
            run(api, redis.uri(), "sentinel: master SIGKILL", plan, RedisFaults.killMaster(redis)));
      }
      try (RedisSentinelTopology redis = RedisSentinelTopology.start()) {
        rows.add(
            run(
                api,
                redis.uri(),
                "sentinel: master SIGSTOP, SIGCONT after the failover",
                plan,
                RedisFaults.pauseMaster(redis)));
      }
      rows.add(
          cluster(
              api,
              "cluster: master of the config slot SIGKILL",
              plan,
              RedisFaults::killConfigSlotOwner));
      rows.add(
          cluster(
              api,
              "cluster: master of the exact client's limiter slot SIGKILL",
              plan,
              RedisFaults::killLimiterSlotOwner));
      try (RedisServer redis = RedisServer.start()) {
        rows.add(
            run(
                api,
                redis.uri(),
                "standalone: restart without persistence",
                plan,
                RedisFaults.restartEmpty(redis, Duration.ofSeconds(30))));
      }
    }
    System.out.printf(
        "%nRedis failover, %d requests/s per route (3 routes, 2 gateways), %d s before the fault"
            + " and after the change, budget %s; load average before: %s, after: %s%n%n",
        rate, phase.toSeconds(), budget, loadBefore, ProcessCounters.loadAverage());
    System.out.println(FailoverFigures.TABLE_HEADER);
    rows.forEach(System.out::println);
  }

  private static String cluster(
      KubeApiServer api,
      String scenario,
      FailoverScenario.Plan plan,
      Function<RedisCluster, FailoverScenario.Fault> fault) {
    try (RedisCluster redis = RedisCluster.start(3, 1)) {
      return run(api, redis.uri(), scenario, plan, fault.apply(redis));
    }
  }

  private static String run(
      KubeApiServer api,
      String redisUrl,
      String scenario,
      FailoverScenario.Plan plan,
      FailoverScenario.Fault fault) {
    try (TollgateSystem system = TollgateSystem.start(api, redisUrl, "1s", true)) {
      List<GatewayJar> gateways = FailoverScenario.startGateways(system, plan);
      return FailoverScenario.run(scenario, system, gateways, plan, fault).tableRow();
    }
  }
}
