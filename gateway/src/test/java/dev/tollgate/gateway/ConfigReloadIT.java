package dev.tollgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.gateway.support.Echo;
import dev.tollgate.gateway.support.GatewayFixture;
import dev.tollgate.gateway.support.Routes;
import dev.tollgate.gateway.support.TestUpstream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The config directory changes while the gateway serves; requests never notice. */
class ConfigReloadIT {
  private TestUpstream blue;
  private TestUpstream green;
  private GatewayFixture gateway;

  @BeforeEach
  void start() {
    blue = TestUpstream.echo("blue");
    green = TestUpstream.echo("green");
    gateway = GatewayFixture.start(config(blue, 0));
  }

  @AfterEach
  void stop() {
    gateway.close();
    blue.close();
    green.close();
  }

  /** The main route to {@code upstream}, plus {@code extra} throwaway routes to vary the table. */
  private static String config(TestUpstream upstream, int extra) {
    StringBuilder yaml =
        new StringBuilder(Routes.simple("app", "pathPrefix: /app", upstream.url()));
    for (int i = 0; i < extra; i++) {
      yaml.append(Routes.simple("extra-" + i, "path: /extra/" + i, upstream.url()));
    }
    return yaml.toString();
  }

  private void awaitVersionAbove(long version) {
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> gateway.configVersion() > version);
  }

  @Test
  void reloadsUnderContinuousLoadFailZeroRequests() throws Exception {
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger ok = new AtomicInteger();
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<String> servedBy = new ConcurrentLinkedQueue<>();
    List<Future<?>> clients = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(6)) {
      for (int c = 0; c < 6; c++) {
        boolean post = c % 2 == 0;
        clients.add(
            pool.submit(
                () -> {
                  while (running.get()) {
                    HttpResponse<String> response =
                        post
                            ? gateway.send(
                                HttpRequest.newBuilder(gateway.uri("/app/order"))
                                    .POST(HttpRequest.BodyPublishers.ofString("x".repeat(2048)))
                                    .build())
                            : gateway.get("/app/item");
                    if (response.statusCode() == 200) {
                      ok.incrementAndGet();
                      servedBy.add(Echo.parse(response.body()).upstream());
                    } else {
                      failures.add(response.statusCode() + " " + response.body());
                    }
                  }
                  return null;
                }));
      }
      for (int round = 1; round <= 20; round++) {
        long before = gateway.configVersion();
        gateway.writeConfig("routes.yaml", config(round % 2 == 0 ? blue : green, round));
        awaitVersionAbove(before);
        int seen = ok.get();
        await().atMost(Duration.ofSeconds(5)).until(() -> ok.get() > seen + 20);
      }
      running.set(false);
      for (Future<?> client : clients) {
        client.get();
      }
    }
    assertThat(failures).isEmpty();
    assertThat(ok.get()).isGreaterThan(400);
    assertThat(servedBy).contains("blue", "green");
  }

  @Test
  void invalidChangeIsRefusedAndTheLastGoodConfigKeepsServing() {
    long version = gateway.configVersion();
    String failuresBefore = reloadCounter("failure");

    gateway.writeConfig(
        "routes.yaml",
        Routes.route(
            "app",
            "match: {pathPrefix: /app, path: /app}\nbackend: {endpoints: [" + green.url() + "]}"));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> !reloadCounter("failure").equals(failuresBefore));

    assertThat(gateway.configVersion()).isEqualTo(version);
    assertThat(Echo.parse(gateway.get("/app/x").body()).upstream()).isEqualTo("blue");
    assertThat(gateway.admin("/health/ready").statusCode()).isEqualTo(200);

    gateway.writeConfig("routes.yaml", config(green, 0));
    awaitVersionAbove(version);
    assertThat(Echo.parse(gateway.get("/app/x").body()).upstream()).isEqualTo("green");
  }

  @Test
  void newFilesAreLoadedAndDeletedFilesDropTheirRoutes() throws Exception {
    long version = gateway.configVersion();
    gateway.writeConfig("more.yml", Routes.simple("more", "pathPrefix: /more", green.url()));
    awaitVersionAbove(version);
    assertThat(Echo.parse(gateway.get("/more/1").body()).upstream()).isEqualTo("green");

    long withMore = gateway.configVersion();
    gateway.deleteConfig("more.yml");
    awaitVersionAbove(withMore);
    assertThat(gateway.get("/more/1").statusCode()).isEqualTo(404);
  }

  private String reloadCounter(String result) {
    String prefix = "tollgate_config_reloads_total{result=\"" + result + "\"";
    return gateway
        .admin("/metrics")
        .body()
        .lines()
        .filter(l -> l.startsWith(prefix))
        .findFirst()
        .orElse("absent");
  }
}
