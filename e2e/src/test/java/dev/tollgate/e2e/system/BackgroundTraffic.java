package dev.tollgate.e2e.system;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Requests that keep flowing through every gateway while configuration changes, and a watch on each
 * gateway's readiness. A request "fails" when the gateway answers 5xx or the connection breaks: a
 * 404 for a Route that is gone and a 429 from a limit are answers, not failures.
 *
 * <p>The traffic is steady, not as fast as the clients can go: these scenarios measure how fast a
 * configuration change reaches the gateways, on 2 cores that also run the API server, etcd, the
 * operator, both gateways and {@code kubectl}. Four clients without pause sent about 1,500 requests
 * a second and competed with all of them (kubectl alone took 0.9-1.3 s at p99); the data plane's
 * speed under load is what the benchmarks measure.
 */
final class BackgroundTraffic implements AutoCloseable {
  private static final Duration READINESS_PROBE = Duration.ofMillis(50);

  /** Each client's pause after an answer: four clients send about 300 requests a second. */
  private static final Duration CLIENT_PAUSE = Duration.ofMillis(10);

  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicLong answered = new AtomicLong();
  private final AtomicLong notReady = new AtomicLong();
  private final Map<String, Long> failures = new ConcurrentHashMap<>();
  private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

  private BackgroundTraffic() {}

  /**
   * @param paths picks the path of the next request (called concurrently)
   * @param clients concurrent request loops, each sending its next request a pause after the last
   *     answered
   */
  static BackgroundTraffic start(List<GatewayJar> gateways, Supplier<String> paths, int clients) {
    BackgroundTraffic traffic = new BackgroundTraffic();
    for (int i = 0; i < clients; i++) {
      traffic.threads.submit(() -> traffic.send(gateways, paths));
    }
    for (GatewayJar gateway : gateways) {
      traffic.threads.submit(() -> traffic.watchReadiness(gateway));
    }
    return traffic;
  }

  private void send(List<GatewayJar> gateways, Supplier<String> paths) {
    while (running.get()) {
      GatewayJar gateway = gateways.get(ThreadLocalRandom.current().nextInt(gateways.size()));
      String path = paths.get();
      try {
        HttpResponse<String> response = gateway.get(path);
        if (response.statusCode() >= 500) {
          failures.merge(
              response.statusCode() + " " + path + " on " + gateway.podId(), 1L, Long::sum);
        } else {
          answered.incrementAndGet();
        }
      } catch (RuntimeException e) {
        failures.merge(e.getClass().getSimpleName() + " on " + gateway.podId(), 1L, Long::sum);
      }
      if (!pause(CLIENT_PAUSE)) {
        return;
      }
    }
  }

  /**
   * Pacing, not synchronisation.
   *
   * @return false when interrupted (the traffic is stopping)
   */
  private static boolean pause(Duration pause) {
    try {
      Thread.sleep(pause);
      return true;
    } catch (InterruptedException e) {
      return false;
    }
  }

  private void watchReadiness(GatewayJar gateway) {
    while (running.get()) {
      if (!gateway.ready()) {
        notReady.incrementAndGet();
      }
      if (!pause(READINESS_PROBE)) {
        return;
      }
    }
  }

  long answered() {
    return answered.get();
  }

  /** Failed requests by status (or exception), path and gateway. */
  Map<String, Long> failures() {
    return Map.copyOf(failures);
  }

  /** How many readiness probes found a gateway not ready. */
  long notReady() {
    return notReady.get();
  }

  @Override
  public void close() {
    running.set(false);
    threads.shutdown();
    try {
      threads.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
