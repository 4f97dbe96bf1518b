package dev.tollgate.e2e.system;

import dev.tollgate.testkit.LoopbackHttp;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A steady, paced load through several gateways with every request recorded: the three routes of
 * {@code system/failover.yaml} in turn, the gateways in turn, {@code perRoutePerSecond} requests
 * per route and second, all as the one client {@value #CLIENT} (header {@code X-Client}). Paced
 * rather than closed-loop (as wrk is) so a stall does not slow the offered load down and every
 * request has a start time to place it before, during or after a fault.
 *
 * <p>Bounded: at most {@value #MAX_IN_FLIGHT} requests in flight (beyond that a request is counted
 * as skipped, not queued), each with a 10 s timeout, and the load stops by itself after {@code
 * maxDuration}.
 */
final class FailoverLoad implements AutoCloseable {
  static final String CLIENT = "exact";
  private static final int MAX_IN_FLIGHT = 512;
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  /** The routes of {@code system/failover.yaml}, by failure mode. */
  enum Route {
    OPEN,
    CLOSED,
    LOCAL;

    String path() {
      return "/" + name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * One request.
   *
   * @param status the HTTP status, or -1 when the request failed without one
   * @param redisDecided whether the answer carried a {@code RateLimit} field (a limiter decided; on
   *     the open and closed routes that is Redis, since a failed decision there carries none)
   */
  record Sample(
      long startNanos, long endNanos, int gateway, Route route, int status, boolean redisDecided) {}

  private final List<GatewayJar> gateways;
  private final long intervalNanos;
  private final long origin = System.nanoTime();
  private final long deadline;
  private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
  private final ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();
  private final AtomicLong skipped = new AtomicLong();
  private final Thread pacer;
  private volatile boolean stopped;

  private FailoverLoad(List<GatewayJar> gateways, int perRoutePerSecond, Duration maxDuration) {
    this.gateways = List.copyOf(gateways);
    this.intervalNanos = TimeUnit.SECONDS.toNanos(1) / (perRoutePerSecond * Route.values().length);
    this.deadline = origin + maxDuration.toNanos();
    this.pacer = Thread.ofPlatform().name("failover-load").daemon().start(this::pace);
  }

  static FailoverLoad start(
      List<GatewayJar> gateways, int perRoutePerSecond, Duration maxDuration) {
    return new FailoverLoad(gateways, perRoutePerSecond, maxDuration);
  }

  /** Nanoseconds since the load started: the clock every sample and fault time is on. */
  long now() {
    return System.nanoTime() - origin;
  }

  /** The samples completed so far. */
  List<Sample> samples() {
    return new ArrayList<>(samples);
  }

  long skipped() {
    return skipped.get();
  }

  /** Whether every gateway has answered a request started after {@code since} from Redis. */
  boolean redisDecidesAgainSince(long since) {
    boolean[] decided = new boolean[gateways.size()];
    for (Sample sample : samples) {
      if (sample.startNanos() >= since && sample.redisDecided() && sample.route() != Route.LOCAL) {
        decided[sample.gateway()] = true;
      }
    }
    for (boolean d : decided) {
      if (!d) {
        return false;
      }
    }
    return true;
  }

  /** Stops sending, waits for the requests in flight, and returns every sample. */
  List<Sample> stop() {
    stopped = true;
    try {
      pacer.join();
      if (inFlight.tryAcquire(
          MAX_IN_FLIGHT, REQUEST_TIMEOUT.toMillis() + 5_000, TimeUnit.MILLISECONDS)) {
        inFlight.release(MAX_IN_FLIGHT);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return samples();
  }

  @Override
  public void close() {
    stop();
  }

  private void pace() {
    for (long i = 0; !stopped; i++) {
      long due = origin + i * intervalNanos;
      if (due > deadline) {
        return;
      }
      long wait = due - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      Route route = Route.values()[(int) (i % Route.values().length)];
      int gateway = (int) ((i / Route.values().length) % gateways.size());
      if (!inFlight.tryAcquire()) {
        skipped.incrementAndGet();
        continue;
      }
      long seq = i;
      Thread.startVirtualThread(
          () -> {
            try {
              send(seq, gateway, route);
            } finally {
              inFlight.release();
            }
          });
    }
  }

  private void send(long seq, int gateway, Route route) {
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create(
                    "http://127.0.0.1:" + gateways.get(gateway).port() + route.path() + "/" + seq))
            .header("X-Client", CLIENT)
            .timeout(REQUEST_TIMEOUT)
            .build();
    long start = now();
    int status;
    boolean decided;
    try {
      HttpResponse<Void> response =
          LoopbackHttp.client().send(request, HttpResponse.BodyHandlers.discarding());
      status = response.statusCode();
      decided = response.headers().firstValue("RateLimit").isPresent();
    } catch (IOException e) {
      status = -1;
      decided = false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    samples.add(new Sample(start, now(), gateway, route, status, decided));
  }
}
