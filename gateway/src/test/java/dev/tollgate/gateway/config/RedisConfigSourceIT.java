package dev.tollgate.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.gateway.support.Echo;
import dev.tollgate.gateway.support.TestUpstream;
import dev.tollgate.testkit.redis.RedisServerExtension;
import io.lettuce.core.Range;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The gateway's Redis config source against a real redis-server: start, pub/sub, the version poll,
 * reading only what changed, refusal of a configuration that cannot be read, leaving out only the
 * resource it cannot serve, versions that only move forward, and Redis restarts and flushes. A poll
 * interval of {@link #NO_POLL} leaves pub/sub as the only way a change can arrive, so each test
 * shows the mechanism it names.
 */
class RedisConfigSourceIT {
  private static final Duration NO_POLL = Duration.ofMinutes(10);
  private static final Duration FAST_POLL = Duration.ofMillis(200);
  private static final String FAILURES = "tollgate_config_reloads_total{result=\"failure\"";
  private static final String REJECTED_ROUTES = "tollgate_config_rejected_resources{kind=\"Route\"";

  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

  private TestUpstream blue;
  private TestUpstream green;
  private OperatorWrites operator;
  private RedisGateway gateway;

  @BeforeEach
  void upstreams() {
    blue = TestUpstream.echo("blue");
    green = TestUpstream.echo("green");
    operator = new OperatorWrites(REDIS.uri(), RedisGateway.GATEWAY_NAME);
  }

  @AfterEach
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
    operator.close();
    blue.close();
    green.close();
  }

  @Test
  void servesTheSnapshotInRedisFromTheStart() {
    long version = operator.publish(OperatorWrites.routes("/app", blue.url()));

    gateway = RedisGateway.start(REDIS.uri(), "pod-a", NO_POLL);

    assertThat(gateway.ready()).isTrue();
    assertThat(gateway.version()).isEqualTo(version);
    assertThat(upstreamOf("/app/x")).isEqualTo("blue");
  }

  @Test
  void staysUnreadyUntilTheOperatorWritesASnapshot() {
    gateway = RedisGateway.start(REDIS.uri(), "pod-a", NO_POLL);

    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(3))
        .until(() -> !gateway.ready());
    assertThat(gateway.get("/app/x").statusCode()).isEqualTo(503);

    operator.publish(OperatorWrites.routes("/app", blue.url()));

    await().atMost(Duration.ofSeconds(10)).until(gateway::ready);
    assertThat(upstreamOf("/app/x")).isEqualTo("blue");
  }

  @Test
  void reloadsOnlyTheChangedEntryWhenANewVersionIsPublished() {
    operator.publish(OperatorWrites.routes("/app", blue.url(), "/shop", blue.url()));
    gateway = RedisGateway.start(REDIS.uri(), "pod-a", NO_POLL);

    long version =
        operator.publish(OperatorWrites.routes("/app", green.url(), "/shop", blue.url()));

    await().atMost(Duration.ofSeconds(10)).until(() -> gateway.version() == version);
    assertThat(upstreamOf("/app/x")).isEqualTo("green");
    assertThat(upstreamOf("/shop/x")).isEqualTo("blue");
    // The version's log names the one entry it changed: that is all a gateway reads.
    assertThat(operator.redis().xrange("tollgate:{it}:config:log", Range.create("2-1", "2-1")))
        .singleElement()
        .satisfies(
            entry -> assertThat(entry.getBody()).containsEntry("changed", "Route/test/route-0"));
  }

  @Test
  void picksUpAChangeWhosePublishWasMissedByPollingTheVersion() {
    operator.publish(OperatorWrites.routes("/app", blue.url()));
    gateway = RedisGateway.start(REDIS.uri(), "pod-a", FAST_POLL);

    long version = operator.store(OperatorWrites.routes("/app", green.url()));

    await().atMost(Duration.ofSeconds(10)).until(() -> gateway.version() == version);
    assertThat(upstreamOf("/app/x")).isEqualTo("green");
  }

  @Test
  void aStormOfAnnouncementsCostsAFewVersionChecksNotOneEach() {
    operator.publish(OperatorWrites.routes("/app", blue.url()));
    gateway = RedisGateway.start(REDIS.uri(), "pod-a", NO_POLL);
    long checksBefore = versionChecks();

    // A runaway writer (or anyone allowed to PUBLISH) announcing over and over: each message was
    // one more check queued on the worker, ahead of the next real change and the pod's report.
    int storm = 20_000;
    operator.announceRepeatedly(storm);
    long version = operator.publish(OperatorWrites.routes("/app", green.url()));

    await().atMost(Duration.ofSeconds(30)).until(() -> gateway.version() == version);
    assertThat(upstreamOf("/app/x")).isEqualTo("green");
    // The first check after the write applies it; what else was queued runs on afterwards.
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(5))
        .until(() -> versionChecks() - checksBefore < storm / 10);
  }

  @Test
  void keepsLastGoodConfigurationWhenRedisHoldsOneThatCannotBeRead() {
    operator.publish(OperatorWrites.routes("/app", blue.url()));
    gateway = RedisGateway.start(REDIS.uri(), "pod-a", FAST_POLL);
    double failuresBefore = gateway.metric(FAILURES);

    operator.corruptVersion();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> gateway.metric(FAILURES) == failuresBefore + 1);
    // Polled again and again, the same bad version is refused (and counted) only once.
    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(3))
        .until(() -> gateway.metric(FAILURES) == failuresBefore + 1);
    assertThat(gateway.version()).isEqualTo(1);
    assertThat(gateway.ready()).isTrue();
    assertThat(upstreamOf("/app/x")).isEqualTo("blue");

    operator.redis().set("tollgate:{it}:config:version", "1");
    long version = operator.publish(OperatorWrites.routes("/app", green.url()));
    await().atMost(Duration.ofSeconds(10)).until(() -> gateway.version() == version);
    assertThat(upstreamOf("/app/x")).isEqualTo("green");
  }

  @Test
  void servesEverythingButTheResourceItCannotServe() {
    operator.publish(OperatorWrites.routes("/app", blue.url()));
    gateway = RedisGateway.start(REDIS.uri(), "pod-a", FAST_POLL);
    double failuresBefore = gateway.metric(FAILURES);

    // As a writer the gateway disagrees with would write it: one route it cannot serve, one entry
    // it cannot even read.
    Map<String, String> entries =
        new HashMap<>(OperatorWrites.routes("/app", "not a url", "/shop", green.url()));
    entries.put("Route/test/garbled", "{\"namespace\": \"test\", \"name\": [");
    long version = operator.publish(entries);

    await().atMost(Duration.ofSeconds(10)).until(() -> gateway.version() == version);
    assertThat(upstreamOf("/shop/x")).isEqualTo("green");
    assertThat(gateway.get("/app/x").statusCode()).isEqualTo(404);
    assertThat(gateway.metric(REJECTED_ROUTES)).isEqualTo(2);
    assertThat(gateway.metric(FAILURES)).isEqualTo(failuresBefore);
    assertThat(gateway.admin("/admin/config").body())
        .contains(
            "\"resource\" : \"Route test/route-0\"",
            "spec.backend.endpoints[0]: 'not a url' is not a base URL",
            "\"resource\" : \"Route test/garbled\"",
            "its entry cannot be read");

    long fixed = operator.publish(OperatorWrites.routes("/app", blue.url(), "/shop", green.url()));
    await().atMost(Duration.ofSeconds(10)).until(() -> gateway.version() == fixed);
    assertThat(upstreamOf("/app/x")).isEqualTo("blue");
    assertThat(gateway.metric(REJECTED_ROUTES)).isZero();
  }

  @Test
  void leavesOutAResourceTheRulesFailOnAndServesTheRestFromTheStartAndAfterReloads() {
    // A null among an HTTPRoute's header matches: no API server lets one through, so the rules
    // never expect it, yet a writer other than the operator can put it in Redis.
    String unjudgeable =
        """
        {"namespace": "web", "name": "odd", "rules": [{"matches": [{"headers": [null]}],
         "backends": [{"ref": "web/v1:80", "weight": 1, "endpoints": ["%s"]}]}]}
        """
            .formatted(blue.url());
    Map<String, String> entries = new HashMap<>(OperatorWrites.routes("/app", blue.url()));
    entries.put("HTTPRoute/web/odd", unjudgeable);
    long first = operator.publish(entries);

    gateway = RedisGateway.start(REDIS.uri(), "pod-a", FAST_POLL);

    assertThat(gateway.version()).isEqualTo(first);
    assertThat(upstreamOf("/app/x")).isEqualTo("blue");
    assertThat(gateway.metric("tollgate_config_rejected_resources{kind=\"HTTPRoute\""))
        .isEqualTo(1);
    assertThat(gateway.admin("/admin/config").body())
        .contains("\"resource\" : \"HTTPRoute web/odd\"", "cannot be judged");

    entries.putAll(OperatorWrites.routes("/app", green.url()));
    long next = operator.publish(entries);
    await().atMost(Duration.ofSeconds(10)).until(() -> gateway.version() == next);
    assertThat(upstreamOf("/app/x")).isEqualTo("green");
  }

  @Test
  void neverAppliesAnOlderVersionThanItServes() {
    operator.publish(OperatorWrites.routes("/app", blue.url()));
    long served = operator.publish(OperatorWrites.routes("/app", green.url()));
    gateway = RedisGateway.start(REDIS.uri(), "pod-a", FAST_POLL);
    assertThat(gateway.version()).isEqualTo(served);

    // As a failover to a replica that missed the newest write would leave it: version 1 again.
    operator.redis().set("tollgate:{it}:config:version", "1");
    operator
        .redis()
        .hset("tollgate:{it}:config:entries", OperatorWrites.routes("/app", blue.url()));
    operator.redis().publish("tollgate:{it}:config", "1");

    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(5))
        .until(() -> gateway.version() == served && operator.served("pod-a").isPresent());
    assertThat(upstreamOf("/app/x")).isEqualTo("green");
    assertThat(operator.served("pod-a")).contains(Long.toString(served));
    // The next write goes above what the gateways serve, and is applied.
    long next = operator.publish(OperatorWrites.routes("/app", blue.url(), "/b", blue.url()));
    assertThat(next).isGreaterThan(served);
    await().atMost(Duration.ofSeconds(10)).until(() -> gateway.version() == next);
    assertThat(upstreamOf("/b/x")).isEqualTo("blue");
  }

  @Test
  void keepsServingWhenRedisLosesItsDataAndMovesOnToTheNextWrite() {
    operator.publish(OperatorWrites.routes("/app", blue.url()));
    long served = operator.publish(OperatorWrites.routes("/app", green.url()));
    gateway = RedisGateway.start(REDIS.uri(), "pod-a", FAST_POLL);

    REDIS.server().cli("FLUSHALL");
    // The gateway keeps serving and reports at once what it serves, so the next write (of
    // everything, into the empty Redis) is numbered above it.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> operator.served("pod-a").equals(Optional.of(Long.toString(served))));
    assertThat(upstreamOf("/app/x")).isEqualTo("green");

    long rewritten = operator.publish(OperatorWrites.routes("/app", blue.url()));
    assertThat(rewritten).isGreaterThan(served);
    await().atMost(Duration.ofSeconds(10)).until(() -> gateway.version() == rewritten);
    assertThat(upstreamOf("/app/x")).isEqualTo("blue");
  }

  @Test
  void resubscribesAfterRedisRestartsAndLoadsWhatTheOperatorWritesThen() {
    operator.publish(OperatorWrites.routes("/app", blue.url()));
    gateway = RedisGateway.start(REDIS.uri(), "pod-a", NO_POLL);

    REDIS.server().restart();
    // All data is gone: the gateway keeps serving what it has.
    assertThat(upstreamOf("/app/x")).isEqualTo("blue");
    awaitReconnected();

    // After a restart the operator writes again; without polling, only a renewed subscription (or
    // the check made when it is renewed) can deliver this.
    operator.publish(OperatorWrites.routes("/app", green.url()));
    await()
        .atMost(Duration.ofSeconds(15))
        .ignoreExceptions()
        .until(() -> upstreamOf("/app/x").equals("green"));
  }

  @Test
  void startsUnreadyWhileRedisIsDownAndLoadsOnceItIsBack() {
    REDIS.server().kill();
    gateway = RedisGateway.start(REDIS.uri(), "pod-a", FAST_POLL);
    assertThat(gateway.ready()).isFalse();

    REDIS.server().restart();
    awaitReconnected();
    operator.publish(OperatorWrites.routes("/app", blue.url()));

    await().atMost(Duration.ofSeconds(15)).until(gateway::ready);
    assertThat(upstreamOf("/app/x")).isEqualTo("blue");
  }

  /** How many version checks (one MGET each) Redis has answered. */
  private long versionChecks() {
    return operator
        .redis()
        .info("commandstats")
        .lines()
        .filter(l -> l.startsWith("cmdstat_mget:"))
        .map(l -> l.replaceFirst("^cmdstat_mget:calls=([0-9]+),.*", "$1"))
        .mapToLong(Long::parseLong)
        .findFirst()
        .orElse(0);
  }

  /** The test's own client reconnects too; wait until the restarted server answers it. */
  private void awaitReconnected() {
    await()
        .atMost(Duration.ofSeconds(15))
        .ignoreExceptions()
        .until(() -> "PONG".equals(operator.redis().ping()));
  }

  private String upstreamOf(String path) {
    var response = gateway.get(path);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return Echo.parse(response.body()).upstream();
  }
}
