package dev.tollgate.e2e.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.analytics.AccessTally;
import dev.tollgate.analytics.ReportClient;
import dev.tollgate.analytics.report.Report;
import dev.tollgate.api.access.AccessRecord;
import dev.tollgate.api.access.AccessRecord.LimitDecision;
import dev.tollgate.api.access.AccessStreamKeys;
import dev.tollgate.testkit.LoopbackHttp;
import dev.tollgate.testkit.TempDirs;
import dev.tollgate.testkit.redis.RedisCluster;
import dev.tollgate.testkit.redis.RedisServer;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Traffic analytics end to end, with everything as it ships: two gateway processes write every
 * request to the access stream, two analytics processes read it, and the report must match what the
 * test itself sent, exactly: requests per route and path, 429s per limit, the top-5 limited clients
 * and the peak hour. On a single redis-server one analytics replica is killed (SIGKILL) while
 * traffic flows; on the 3-master cluster both stay up.
 */
class AnalyticsSystemIT {
  private static final String GATEWAY = "shop-edge";
  private static final int REQUESTS = 1200;

  @Test
  void reportMatchesTheRequestLogAfterAReplicaIsKilledMidStream() throws Exception {
    try (RedisServer redis = RedisServer.start()) {
      Path dir = TempDirs.create("tollgate-analytics-e2e");
      try {
        run(redis.uri(), dir, true, key -> redis.cli("XLEN", key));
      } finally {
        TempDirs.deleteRecursively(dir);
      }
    }
  }

  @Test
  void reportMatchesTheRequestLogOnARedisCluster() throws Exception {
    try (RedisCluster cluster = RedisCluster.start(3)) {
      Path dir = TempDirs.create("tollgate-analytics-e2e-cluster");
      RedisClusterClient client = RedisClusterClient.create(cluster.uri().split(",")[0]);
      try (StatefulRedisClusterConnection<String, String> connection = client.connect()) {
        run(cluster.uri(), dir, false, key -> Long.toString(connection.sync().xlen(key)));
      } finally {
        client.shutdown();
        TempDirs.deleteRecursively(dir);
      }
    }
  }

  private static void run(
      String redisUri, Path dir, boolean killOneReplica, Function<String, String> streamLength)
      throws Exception {
    Path config = dir.resolve("config");
    Files.createDirectories(config);
    Path hosts = dir.resolve("hosts");
    Files.writeString(hosts, "127.0.0.1 localhost\n");
    try (Upstream upstream = Upstream.start()) {
      Files.writeString(config.resolve("shop.yaml"), config(upstream.port()));
      Map<String, String> gatewayEnv =
          Map.of(
              "TOLLGATE_CONFIG_DIR", config.toString(),
              "TOLLGATE_ACCESS_STREAM", "on",
              "TOLLGATE_TRUSTED_PROXIES", "127.0.0.1");
      Map<String, String> analyticsEnv =
          Map.of("TOLLGATE_ANALYTICS_CLAIM_IDLE", "2s", "TOLLGATE_ANALYTICS_BATCH_SIZE", "50");
      try (GatewayJar a = GatewayJar.start("gw-a", redisUri, GATEWAY, hosts, dir, gatewayEnv);
          GatewayJar b = GatewayJar.start("gw-b", redisUri, GATEWAY, hosts, dir, gatewayEnv);
          AnalyticsJar first = AnalyticsJar.start("an-1", redisUri, GATEWAY, dir, analyticsEnv);
          AnalyticsJar second = AnalyticsJar.start("an-2", redisUri, GATEWAY, dir, analyticsEnv)) {
        a.awaitReady(Duration.ofSeconds(60));
        b.awaitReady(Duration.ofSeconds(60));
        List<GatewayJar> gateways = List.of(a, b);
        AccessTally tally = new AccessTally();
        Random random = new Random(42);
        List<Integer> hours = new ArrayList<>();

        for (int i = 0; i < REQUESTS; i++) {
          if (killOneReplica && i == REQUESTS / 2) {
            await()
                .atMost(Duration.ofSeconds(60))
                .until(() -> first.recordsApplied() > 0 && second.recordsApplied() > 0);
            first.kill();
          }
          send(gateways.get(i % 2), random, tally, hours);
        }

        String stream = new AccessStreamKeys(GATEWAY).stream();
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> Long.parseLong(streamLength.apply(stream)) == REQUESTS);
        AnalyticsJar reader = killOneReplica ? second : first;
        try {
          await()
              .atMost(Duration.ofSeconds(90))
              .pollInterval(Duration.ofMillis(500))
              .until(
                  () ->
                      ReportClient.fetch(reader.adminPort(), "window=2h").totals().requests()
                          >= REQUESTS);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
          throw new AssertionError(first.logTail() + "\n" + second.logTail(), e);
        }
        Report report = ReportClient.fetch(reader.adminPort(), "window=2h");

        assertThat(report.totals().requests()).isEqualTo(REQUESTS);
        assertThat(AccessTally.routes(report)).isEqualTo(tally.routes());
        assertThat(report.paths()).isEqualTo(tally.topPaths(20));
        assertThat(report.limits()).isEqualTo(tally.limits());
        assertThat(report.limitedClients().subList(0, 5)).isEqualTo(tally.topLimitedClients(5));
        if (hours.stream().distinct().count() == 1) {
          assertThat(report.peakHour()).isEqualTo(hours.getFirst());
          assertThat(report.hourOfDay()).isEqualTo(tally.hourOfDay());
        } else {
          // the run crossed an hour boundary: each request's hour is one of the two it spanned
          assertThat(report.peakHour()).isIn(hours);
        }
        assertThat(LoopbackHttp.get(reader.adminPort(), "/analytics/").body())
            .contains("id=\"total-requests\">" + REQUESTS + "<");
      }
    }
  }

  /**
   * One request from one of 20 clients (a few far more often than others) to one of five paths; the
   * tally gets what the test knows it sent and what the gateway answered.
   */
  private static void send(
      GatewayJar gateway, Random random, AccessTally tally, List<Integer> hours) {
    int client = (int) Math.floor(Math.pow(random.nextDouble(), 2.5) * 20);
    int kind = random.nextInt(5);
    int id = 100 + random.nextInt(900);
    String path =
        switch (kind) {
          case 0 -> "/orders";
          case 1 -> "/orders/" + id;
          case 2 -> "/orders/" + id + "/items";
          case 3 -> "/cart";
          default -> "/cart/checkout";
        };
    String template =
        switch (kind) {
          case 0 -> "/orders";
          case 1 -> "/orders/{id}";
          case 2 -> "/orders/{id}/items";
          case 3 -> "/cart";
          default -> "/cart/checkout";
        };
    String route = kind < 3 ? "shop/orders" : "shop/cart";
    String address = "10.20.0." + client;
    long before = System.currentTimeMillis();
    HttpResponse<String> response =
        LoopbackHttp.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
                .header("X-Forwarded-For", address)
                .timeout(Duration.ofSeconds(20))
                .build());
    long after = System.currentTimeMillis();
    int status = response.statusCode();
    assertThat(status).as(path).isIn(200, 429);
    hours.add((int) ((before / 3_600_000L) % 24));
    hours.add((int) ((after / 3_600_000L) % 24));
    List<LimitDecision> limits =
        route.equals("shop/orders")
            ? List.of(
                new LimitDecision(
                    "shop/per-client", "hourly", status == 429 ? "limited" : "allowed", 0))
            : List.of();
    tally.add(
        new AccessRecord(
            before, "", "", route, "GET", template, status, 0, 0, "", -1, address, limits));
  }

  private static String config(int upstreamPort) {
    String endpoint = "http://127.0.0.1:" + upstreamPort;
    return """
        apiVersion: tollgate.dev/v1alpha1
        kind: Route
        metadata: {name: orders, namespace: shop}
        spec:
          match: {pathPrefix: /orders}
          backend: {endpoints: ["%1$s"]}
        ---
        apiVersion: tollgate.dev/v1alpha1
        kind: Route
        metadata: {name: cart, namespace: shop}
        spec:
          match: {pathPrefix: /cart}
          backend: {endpoints: ["%1$s"]}
        ---
        apiVersion: tollgate.dev/v1alpha1
        kind: RateLimitPolicy
        metadata: {name: per-client, namespace: shop}
        spec:
          targetRefs: [{kind: Route, name: orders}]
          limits:
            - name: hourly
              algorithm: fixed-window
              rate: {requests: 20, period: 1h}
              key: [{clientIP: true}]
        """
        .formatted(endpoint);
  }
}
