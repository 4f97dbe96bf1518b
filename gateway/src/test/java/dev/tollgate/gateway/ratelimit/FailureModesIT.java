package dev.tollgate.gateway.ratelimit;

import static dev.tollgate.gateway.ratelimit.PolicyItBase.metricValue;
import static dev.tollgate.gateway.ratelimit.PolicyYaml.policy;
import static dev.tollgate.gateway.ratelimit.PolicyYaml.route;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.gateway.support.TestUpstream;
import dev.tollgate.testkit.redis.RedisServerExtension;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Redis killed, paused and restarted under a running gateway; each failure mode's answer. */
class FailureModesIT {
  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

  static TestUpstream upstream;
  private PolicyGateway gateway;

  @BeforeAll
  static void startUpstream() {
    upstream = TestUpstream.echo("api");
  }

  @AfterAll
  static void stopUpstream() {
    upstream.close();
  }

  @AfterEach
  void cleanUp() {
    if (gateway != null) {
      gateway.close();
    }
    if (!REDIS.server().isRunning()) {
      REDIS.server().restart();
    }
    REDIS.server().resume();
  }

  private PolicyGateway start(String failureMode, long requests, String... settings) {
    gateway = startWithoutWarmUp(failureMode, requests, settings);
    // the first decision loads the script; let it land in Redis before the test begins
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> gateway.get("/api").headers().firstValue("RateLimit").isPresent());
    return gateway;
  }

  private PolicyGateway startWithoutWarmUp(String failureMode, long requests, String... settings) {
    Map<String, String> env = new java.util.HashMap<>();
    env.put("TOLLGATE_REDIS_URL", REDIS.uri());
    env.put("TOLLGATE_GATEWAY_NAME", "fm");
    for (int i = 0; i < settings.length; i += 2) {
      env.put(settings[i], settings[i + 1]);
    }
    return PolicyGateway.start(
        route("api", "/api", "none", upstream.url())
            + policy(
                "fm",
                "api",
                "failureMode: " + failureMode,
                """
                    - name: per-ip
                      rate: {requests: %d, period: 1h}
                      key: [{clientIP: true}]
                    """
                    .formatted(requests)),
        env);
  }

  private void awaitDecisionsFromRedisAgain(String expectedPolicy) {
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () ->
                gateway
                    .get("/api")
                    .headers()
                    .firstValue("RateLimit-Policy")
                    .filter(p -> p.equals(expectedPolicy))
                    .isPresent());
  }

  @Test
  void openServesEveryRequestWhileRedisIsDownThenGoesBackToRedis() {
    start("open", 3);

    REDIS.server().kill();
    for (int i = 0; i < 20; i++) {
      HttpResponse<String> response = gateway.get("/api");
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("RateLimit")).isEmpty();
    }
    assertThat(metricValue(gateway.metrics().body(), "policy=\"shop/fm\"", "decision=\"error\""))
        .isGreaterThanOrEqualTo(20);

    REDIS.server().restart();
    awaitDecisionsFromRedisAgain("\"per-ip\";q=3;w=3600");
    // a fresh Redis: this client's bucket starts over and is enforced again
    gateway.get("/api");
    gateway.get("/api");
    assertThat(gateway.get("/api").statusCode()).isEqualTo(429);
  }

  @Test
  void aGatewayStartedWithoutRedisConnectsOnceRedisIsUp() {
    REDIS.server().kill();
    gateway = startWithoutWarmUp("open", 5);
    await().atMost(Duration.ofSeconds(10)).until(() -> gateway.configVersion() > 0);

    HttpResponse<String> withoutRedis = gateway.get("/api");
    assertThat(withoutRedis.statusCode()).isEqualTo(200);
    assertThat(withoutRedis.headers().firstValue("RateLimit")).isEmpty();

    REDIS.server().restart();
    awaitDecisionsFromRedisAgain("\"per-ip\";q=5;w=3600");
  }

  @Test
  void closedAnswers503WhileRedisIsDown() {
    start("closed", 100);

    REDIS.server().kill();
    HttpResponse<String> response = gateway.get("/api");

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
    assertThat(response.body()).contains("urn:tollgate:problem:rate-limiter-unavailable");

    REDIS.server().restart();
    awaitDecisionsFromRedisAgain("\"per-ip\";q=100;w=3600");
    assertThat(gateway.get("/api").statusCode()).isEqualTo(200);
  }

  @Test
  void localEnforcesThisReplicasShareOfTheLimit() {
    // A budget the warm-up decision cannot miss on a loaded machine: a miss is decided locally and
    // takes one of the five local requests before the test begins (seen at load average 37). With
    // Redis killed, decisions fail at once (connection refused), so the budget costs no time.
    start("local", 10, "TOLLGATE_LIMITER_REPLICAS", "2", "TOLLGATE_LIMITER_TIMEOUT", "5s");

    REDIS.server().kill();
    List<Integer> statuses = new ArrayList<>();
    String policyField = null;
    for (int i = 0; i < 12; i++) {
      HttpResponse<String> response = gateway.get("/api");
      statuses.add(response.statusCode());
      policyField = response.headers().firstValue("RateLimit-Policy").orElse(policyField);
    }

    assertThat(statuses.stream().filter(s -> s == 200).count()).isEqualTo(5);
    assertThat(statuses.stream().filter(s -> s == 429).count()).isEqualTo(7);
    assertThat(policyField).isEqualTo("\"per-ip\";q=5;w=3600");

    REDIS.server().restart();
    awaitDecisionsFromRedisAgain("\"per-ip\";q=10;w=3600");
  }

  @Test
  void aHungRedisCostsEachRequestOnlyTheBudgetAndPilesUpNoThreads() throws Exception {
    start("open", 1000, "TOLLGATE_LIMITER_TIMEOUT", "50ms");
    int threadsBefore = gatewaySideThreads();

    REDIS.server().pause();
    List<CompletableFuture<HttpResponse<Void>>> calls = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      calls.add(
          PolicyGateway.http()
              .sendAsync(
                  HttpRequest.newBuilder(gateway.uri("/api/" + i))
                      .timeout(Duration.ofSeconds(10))
                      .build(),
                  HttpResponse.BodyHandlers.discarding()));
    }
    CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    int threadsDuring = gatewaySideThreads();

    assertThat(calls).allSatisfy(c -> assertThat(c.join().statusCode()).isEqualTo(200));
    // request handling runs on virtual threads and waits are bounded by the budget; platform
    // threads may grow by a few carriers and event loops, not by one per request
    assertThat(threadsDuring - threadsBefore).isLessThan(20);

    REDIS.server().resume();
    awaitDecisionsFromRedisAgain("\"per-ip\";q=1000;w=3600");
  }

  @Test
  void aHungRedisCostsARequestWithShadowLimitsOneBudgetNotTwo() {
    Map<String, String> env = new java.util.HashMap<>();
    env.put("TOLLGATE_REDIS_URL", REDIS.uri());
    env.put("TOLLGATE_GATEWAY_NAME", "fm");
    env.put("TOLLGATE_LIMITER_TIMEOUT", "1s");
    gateway =
        PolicyGateway.start(
            route("api", "/api", "none", upstream.url())
                + policy(
                    "fm",
                    "api",
                    "failureMode: open",
                    """
                    - name: per-ip
                      rate: {requests: 1000, period: 1h}
                      key: [{clientIP: true}]
                    """)
                + policy(
                    "trial",
                    "api",
                    "enforcement: shadow",
                    """
                    - name: per-ip-trial
                      rate: {requests: 1000, period: 1h}
                      key: [{clientIP: true}]
                    """),
            env);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> gateway.get("/api").headers().firstValue("RateLimit").isPresent());

    REDIS.server().pause();
    long start = System.nanoTime();
    HttpResponse<String> response = gateway.get("/api");
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(response.statusCode()).isEqualTo(200);
    // the enforced limits' decision waits the 1 s budget; asking Redis again for the shadow
    // limit waited a second one
    assertThat(took).isLessThan(Duration.ofSeconds(2));
    assertThat(metricValue(gateway.metrics().body(), "policy=\"shop/trial\"", "decision=\"error\""))
        .isEqualTo(1);
  }

  /**
   * Live platform threads, without the test's own HTTP client workers (which grow with the 300
   * requests it sends at once); virtual threads are not counted by the JVM here.
   */
  private static int gatewaySideThreads() {
    return (int)
        Thread.getAllStackTraces().keySet().stream()
            .filter(t -> !t.getName().startsWith("HttpClient-"))
            .count();
  }
}
