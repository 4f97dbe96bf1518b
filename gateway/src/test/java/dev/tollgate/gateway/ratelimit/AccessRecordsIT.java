package dev.tollgate.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.api.access.AccessRecord;
import dev.tollgate.api.access.AccessStreamKeys;
import dev.tollgate.testkit.TempDirs;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every answered request leaves one access record: in the access stream on a real redis-server and
 * in the JSON access log, with route, normalized path, status, client and limit decisions as the
 * client saw them. When Redis hangs, requests are answered as usual and the records that do not fit
 * the queue are dropped and counted: stream entries = requests - dropped, exactly.
 */
class AccessRecordsIT extends PolicyItBase {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static String config() {
    return PolicyYaml.ordersLimitedByClientIp(
        upstream.url(), "burst", "algorithm: fixed-window\nrate: {requests: 3, period: 1h}");
  }

  @Test
  void eachRequestLeavesOneStreamEntryAndOneLogLineThatSayWhatTheClientSaw() throws Exception {
    Path logDir = TempDirs.create("tollgate-access-log");
    Path logFile = logDir.resolve("access.log");
    try (RedisCli redis = new RedisCli()) {
      PolicyGateway gateway =
          gateway(
              config(),
              "TOLLGATE_ACCESS_STREAM",
              "on",
              "TOLLGATE_ACCESS_LOG",
              "file",
              "TOLLGATE_ACCESS_LOG_FILE",
              logFile.toString(),
              "TOLLGATE_TRUSTED_PROXIES",
              "127.0.0.1");
      Map<String, Integer> sent = new HashMap<>(); // request id -> status
      Map<String, String> clientOf = new HashMap<>();
      for (int i = 0; i < 60; i++) {
        String client = "10.9.0." + (i % 12);
        String target = i % 5 == 0 ? "/orders/" + (1000 + i) + "/items" : "/orders";
        HttpResponse<String> response =
            gateway.get(target, "X-Forwarded-For", client, "X-Request-Id", "it-" + i);
        sent.put("it-" + i, response.statusCode());
        clientOf.put("it-" + i, client);
      }
      HttpResponse<String> unmatched = gateway.get("/nothing/here", "X-Request-Id", "it-404");
      sent.put("it-404", unmatched.statusCode());
      assertThat(sent.values()).contains(200, 429, 404);

      String stream = new AccessStreamKeys("it").stream();
      await().atMost(Duration.ofSeconds(30)).until(() -> redis.sync().xlen(stream) == sent.size());
      List<AccessRecord> records = new ArrayList<>();
      for (StreamMessage<String, String> entry :
          redis.sync().xrange(stream, Range.create("-", "+"))) {
        records.add(AccessRecord.fromStreamFields(entry.getBody()));
      }
      assertThat(records)
          .extracting(AccessRecord::requestId)
          .containsExactlyInAnyOrderElementsOf(sent.keySet());
      for (AccessRecord record : records) {
        assertThat(record.status()).isEqualTo(sent.get(record.requestId()));
        if (record.requestId().equals("it-404")) {
          assertThat(record.route()).isEmpty();
          assertThat(record.path()).isEqualTo("/nothing/here");
          assertThat(record.limits()).isEmpty();
          continue;
        }
        assertThat(record.route()).isEqualTo("shop/orders");
        assertThat(record.path()).isIn("/orders", "/orders/{id}/items");
        assertThat(record.client()).isEqualTo(clientOf.get(record.requestId()));
        assertThat(record.limits())
            .singleElement()
            .satisfies(
                limit -> {
                  assertThat(limit.id()).isEqualTo("shop/per-client/burst");
                  assertThat(limit.limited()).isEqualTo(record.status() == 429);
                });
        if (record.status() == 200) {
          assertThat(record.upstream()).isEqualTo(upstream.url());
          assertThat(record.upstreamMicros()).isPositive();
          assertThat(record.bytes()).isPositive();
        } else {
          assertThat(record.upstream()).isEmpty();
        }
      }

      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> Files.exists(logFile) && Files.readAllLines(logFile).size() == sent.size());
      Map<String, JsonNode> lines = new HashMap<>();
      for (String line : Files.readAllLines(logFile)) {
        JsonNode json = JSON.readTree(line);
        lines.put(json.get("requestId").asText(), json);
      }
      assertThat(lines.keySet()).isEqualTo(sent.keySet());
      JsonNode limited =
          lines.values().stream().filter(l -> l.get("status").asInt() == 429).findFirst().get();
      assertThat(limited.get("log").asText()).isEqualTo("access");
      assertThat(limited.get("route").asText()).isEqualTo("shop/orders");
      assertThat(limited.get("limits").get(0).get("decision").asText()).isEqualTo("limited");
      assertThat(limited.get("limits").get(0).get("remaining").asLong()).isZero();
    } finally {
      TempDirs.deleteRecursively(logDir);
    }
  }

  @Test
  void whileRedisHangsRequestsAreServedAndRecordsThatDoNotFitAreDroppedAndCounted()
      throws Exception {
    String routeOnly = PolicyYaml.route("orders", "/orders", "none", upstream.url());
    PolicyGateway gateway =
        gateway(
            routeOnly,
            "TOLLGATE_ACCESS_STREAM",
            "on",
            "TOLLGATE_ACCESS_STREAM_QUEUE",
            "20",
            // longer than the pause: a batch in flight is answered when Redis thaws, never
            // counted as a timeout, so the stream holds exactly what was not dropped
            "TOLLGATE_ACCESS_STREAM_TIMEOUT",
            "120s");
    String stream = new AccessStreamKeys("it").stream();
    // the meters live in the JVM's one registry, shared with other tests' gateways: count deltas
    long writtenBefore = counter(gateway, "tollgate_analytics_written_total");
    long droppedBefore = droppedAll(gateway);
    try (RedisCli redis = new RedisCli()) {
      assertThat(gateway.get("/orders").statusCode()).isEqualTo(200);
      await().until(() -> redis.sync().xlen(stream) == 1);

      REDIS.server().pause();
      int during = 0;
      try {
        while (droppedAll(gateway) == droppedBefore || during < 50) {
          assertThat(gateway.get("/orders").statusCode()).isEqualTo(200);
          during++;
        }
      } finally {
        REDIS.server().resume();
      }
      int total = during + 1;

      await()
          .atMost(Duration.ofSeconds(60))
          .conditionEvaluationListener(
              c -> System.err.println("DEBUG total=" + total + " " + metrics(gateway)))
          .until(
              () ->
                  counter(gateway, "tollgate_analytics_written_total")
                          - writtenBefore
                          + droppedAll(gateway)
                          - droppedBefore
                      == total);
      System.err.println(
          "DEBUG total="
              + total
              + " before="
              + writtenBefore
              + "/"
              + droppedBefore
              + " now="
              + metrics(gateway)
              + " xlen="
              + redis.sync().xlen(stream));
      long dropped = droppedAll(gateway) - droppedBefore;
      assertThat(dropped).isPositive();
      assertThat(dropped(gateway, "timeout")).isZero();
      assertThat(redis.sync().xlen(stream)).isEqualTo(total - dropped);
    }
  }

  @Test
  void theStreamStaysNearItsCapWhateverTheTraffic() {
    PolicyGateway gateway =
        gateway(
            PolicyYaml.route("orders", "/orders", "none", upstream.url()),
            "TOLLGATE_ACCESS_STREAM",
            "on",
            "TOLLGATE_ACCESS_STREAM_MAXLEN",
            "1000");
    String stream = new AccessStreamKeys("it").stream();
    long writtenBefore = counter(gateway, "tollgate_analytics_written_total");
    try (RedisCli redis = new RedisCli()) {
      for (int i = 0; i < 2500; i++) {
        assertThat(gateway.get("/orders").statusCode()).isEqualTo(200);
      }
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> counter(gateway, "tollgate_analytics_written_total") - writtenBefore == 2500);

      // MAXLEN ~ trims whole stream nodes (stream-node-max-entries, 100 by default): never below
      // the cap, at most one node above it
      assertThat(redis.sync().xlen(stream)).isBetween(1000L, 1100L);
    }
  }

  private static long dropped(PolicyGateway gateway, String reason) {
    return metrics(gateway)
        .getOrDefault("tollgate_analytics_dropped_total{reason=\"" + reason + "\"}", 0L);
  }

  private static long droppedAll(PolicyGateway gateway) {
    return dropped(gateway, "queue_full")
        + dropped(gateway, "redis_unavailable")
        + dropped(gateway, "timeout");
  }

  private static long counter(PolicyGateway gateway, String name) {
    return metrics(gateway).getOrDefault(name, 0L);
  }

  /**
   * Counter values by name, with the {@code reason} label where there is one: {@code
   * tollgate_analytics_dropped_total{reason="timeout"}.
   */
  private static Map<String, Long> metrics(PolicyGateway gateway) {
    Pattern line = Pattern.compile("(tollgate_analytics_\\w+)\\{([^}]*)\\} (\\S+)");
    Pattern reason = Pattern.compile("reason=\"([a-z_]+)\"");
    Map<String, Long> values = new HashMap<>();
    gateway
        .metrics()
        .body()
        .lines()
        .map(line::matcher)
        .filter(Matcher::matches)
        .forEach(
            m -> {
              Matcher r = reason.matcher(m.group(2));
              String key = m.group(1) + (r.find() ? "{reason=\"" + r.group(1) + "\"}" : "");
              values.merge(key, (long) Double.parseDouble(m.group(3)), Long::sum);
            });
    return values;
  }

  /** A Lettuce connection to the test's Redis, closed with its client. */
  private static final class RedisCli implements AutoCloseable {
    private final RedisClient client = RedisClient.create(REDIS.uri());
    private final StatefulRedisConnection<String, String> connection = client.connect();

    io.lettuce.core.api.sync.RedisCommands<String, String> sync() {
      return connection.sync();
    }

    @Override
    public void close() {
      connection.close();
      client.shutdown();
    }
  }
}
