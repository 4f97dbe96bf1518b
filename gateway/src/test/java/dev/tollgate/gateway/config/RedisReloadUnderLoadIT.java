package dev.tollgate.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.gateway.support.TestUpstream;
import dev.tollgate.testkit.LoopbackHttp;
import dev.tollgate.testkit.redis.RedisServerExtension;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Snapshots published back to back while clients keep sending requests: every request is answered
 * by an upstream, none fails, because each request keeps the configuration it started with.
 */
class RedisReloadUnderLoadIT {
  private static final int CLIENTS = 8;
  private static final int RELOADS = 40;
  private static final Duration BETWEEN_RELOADS = Duration.ofMillis(50);

  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

  @Test
  void noRequestFailsWhileSnapshotsAreReloaded() throws Exception {
    try (TestUpstream blue = TestUpstream.echo("blue");
        TestUpstream green = TestUpstream.echo("green");
        OperatorWrites operator = new OperatorWrites(REDIS.uri(), RedisGateway.GATEWAY_NAME)) {
      operator.publish(snapshot(1, blue));
      try (RedisGateway gateway = RedisGateway.start(REDIS.uri(), "pod-a", Duration.ofSeconds(1));
          ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger ok = new AtomicInteger();
        Map<String, Integer> failures = new ConcurrentHashMap<>();
        URI uri = URI.create("http://127.0.0.1:" + gateway.gateway().port() + "/app/x");
        List<Future<?>> load = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
          load.add(
              clients.submit(
                  () -> {
                    while (running.get()) {
                      String outcome = outcome(uri);
                      if (outcome == null) {
                        ok.incrementAndGet();
                      } else {
                        failures.merge(outcome, 1, Integer::sum);
                      }
                    }
                    return null;
                  }));
        }
        // Alternate upstreams (the old endpoint pool is retired) and vary the route table.
        long last = 0;
        for (long reload = 2; reload <= RELOADS + 1; reload++) {
          last = operator.publish(snapshot(reload, reload % 2 == 0 ? green : blue));
          await().pollDelay(BETWEEN_RELOADS).until(() -> true);
        }
        long written = last;
        await().atMost(Duration.ofSeconds(10)).until(() -> gateway.version() == written);
        running.set(false);
        for (Future<?> f : load) {
          f.get();
        }
        System.out.printf(
            "RedisReloadUnderLoadIT: %d requests during %d reloads, failures %s%n",
            ok.get(), RELOADS, failures);
        assertThat(failures).isEmpty();
        assertThat(ok.get()).isGreaterThan(RELOADS);
      }
    }
  }

  /** Null when the request succeeded, otherwise what went wrong. */
  private static String outcome(URI uri) {
    try {
      HttpResponse<String> response =
          LoopbackHttp.client()
              .send(
                  HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                  HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200
          ? null
          : response.statusCode() + " " + response.body().replaceAll("\\s+", " ");
    } catch (Exception e) {
      return e.getClass().getSimpleName();
    }
  }

  /** The app route to {@code upstream}, plus a few version-dependent extra routes. */
  private static Map<String, String> snapshot(long version, TestUpstream upstream) {
    List<String> routes = new ArrayList<>(List.of("/app", upstream.url()));
    for (int i = 0; i < version % 5; i++) {
      routes.addAll(List.of("/extra-" + version + "-" + i, upstream.url()));
    }
    return OperatorWrites.routes(routes.toArray(String[]::new));
  }
}
