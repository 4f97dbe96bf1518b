package dev.tollgate.analytics.report;

import dev.tollgate.analytics.report.Report.Count;
import dev.tollgate.analytics.report.Report.Point;
import dev.tollgate.analytics.report.Report.RouteStats;
import dev.tollgate.analytics.report.Report.Timeline;
import dev.tollgate.analytics.report.Report.Totals;
import dev.tollgate.analytics.store.BucketKeys;
import dev.tollgate.analytics.store.LatencySketch;
import dev.tollgate.analytics.surge.SurgeLog;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.ObjIntConsumer;

/**
 * Builds a {@link Report} from the minute buckets in Redis. The reads go out phase by phase (minute
 * hashes, then the latency and path hashes of the routes those name, then the limited-clients
 * union, then the surge log), pipelined in slices of {@link #MAX_IN_FLIGHT}: a slice is sent before
 * any of it is awaited and merged into the report before the next is sent. So a day of 30 busy
 * routes costs about 90 round trips, not 88,000, and only one slice of hashes is held at a time.
 * Every read is awaited under one deadline, and any that fails makes the report a {@link
 * ReportUnavailableException}.
 */
public final class ReportBuilder {
  /** The longest a report's reads may take, all phases together. */
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(20);

  /**
   * Most reads one report has in flight, and so most hashes it holds unmerged. The shared
   * connection refuses commands beyond its request queue ({@code AnalyticsRedis}, 50,000), which
   * the surge check and gauges use too, and a day of 30 busy routes alone is 87,840 reads (two per
   * route and minute). And a route-minute's path and latency hashes are up to a few hundred fields
   * each, ten times their Redis size as Java maps: a day of them held at once outgrows the heap.
   */
  static final int MAX_IN_FLIGHT = 1_000;

  /**
   * Most route-and-path pairs a report counts at once ({@link PathTally}): a few MB, against the
   * hundreds a day of never-repeating paths on a few routes would take.
   */
  static final int MAX_PATH_PAIRS = 20_000;

  private static final int MAX_POINTS = 144;
  private static final int[] STEPS = {1, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440};

  private final RedisClusterAsyncCommands<String, String> redis;
  private final BucketKeys keys;
  private final String gateway;
  private final SurgeLog surges;
  private final Clock clock;

  public ReportBuilder(
      RedisClusterAsyncCommands<String, String> redis,
      BucketKeys keys,
      String gateway,
      SurgeLog surges,
      Clock clock) {
    this.redis = redis;
    this.keys = keys;
    this.gateway = gateway;
    this.surges = surges;
    this.clock = clock;
  }

  /**
   * @param window how far back, at least one minute (the current minute is always included)
   * @param windowText the window as asked for, echoed in the report
   * @param route only this route's requests, paths and latencies; empty = all routes (limits and
   *     limited clients always cover every route: they are kept per gateway instance)
   */
  public Report build(Duration window, String windowText, Optional<String> route) {
    long now = Math.floorDiv(clock.millis(), 60_000L);
    int minutes = (int) Math.max(1, Math.ceilDiv(window.toSeconds(), 60));
    long first = now - minutes + 1;
    long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();

    List<String> minuteKeys = new ArrayList<>(minutes);
    for (long m = first; m <= now; m++) {
      minuteKeys.add(keys.minute(m));
    }
    List<Map<String, String>> buckets = new ArrayList<>(minutes);
    forEachHash(minuteKeys, deadline, (bucket, i) -> buckets.add(bucket));

    Map<String, RouteTotals> routes = new TreeMap<>();
    Map<String, Long> limits = new HashMap<>();
    Map<String, Long> statuses = new TreeMap<>();
    long[] hours = new long[24];
    long[] requestsPerMinute = new long[minutes];
    long[] errorsPerMinute = new long[minutes];
    List<String> clientKeys = new ArrayList<>();
    List<long[]> routeMinutes = new ArrayList<>(); // (minute, index into routeNames)
    List<String> routeNames = new ArrayList<>();
    for (int i = 0; i < minutes; i++) {
      long minute = first + i;
      Map<String, String> bucket = buckets.get(i);
      if (bucket.isEmpty()) {
        continue;
      }
      boolean anyLimited = false;
      for (Map.Entry<String, String> field : bucket.entrySet()) {
        String name = field.getKey();
        long count = Long.parseLong(field.getValue());
        int colon = name.indexOf(':');
        String kind = colon < 0 ? name : name.substring(0, colon);
        String value = colon < 0 ? "" : name.substring(colon + 1);
        switch (kind) {
          case "r" -> {
            if (route.isEmpty() || route.get().equals(value)) {
              routes.computeIfAbsent(value, RouteTotals::new).requests += count;
              requestsPerMinute[i] += count;
              hours[(int) Math.floorMod(minute / 60, 24L)] += count;
              routeMinutes.add(new long[] {minute, routeNames.size()});
              routeNames.add(value);
            }
          }
          case "e" -> {
            if (route.isEmpty() || route.get().equals(value)) {
              routes.computeIfAbsent(value, RouteTotals::new).errors += count;
              errorsPerMinute[i] += count;
            }
          }
          case "q" -> {
            if (route.isEmpty() || route.get().equals(value)) {
              routes.computeIfAbsent(value, RouteTotals::new).limited += count;
            }
          }
          case "s" -> {
            if (route.isEmpty()) {
              statuses.merge(value, count, Long::sum);
            }
          }
          case "l" -> {
            limits.merge(value, count, Long::sum);
            anyLimited = true;
          }
          default -> {
            // "n" and fields of newer versions
          }
        }
      }
      if (anyLimited) {
        clientKeys.add(keys.limitedClients(minute));
      }
    }

    List<String> pathKeys = new ArrayList<>(routeMinutes.size());
    List<String> latencyKeys = new ArrayList<>(routeMinutes.size());
    for (long[] rm : routeMinutes) {
      String name = routeNames.get((int) rm[1]);
      pathKeys.add(keys.paths(rm[0], name));
      latencyKeys.add(keys.latency(rm[0], name));
    }
    Map<String, LatencySketch> sketches = new HashMap<>();
    PathTally paths = new PathTally(MAX_PATH_PAIRS);
    forEachHash(
        latencyKeys,
        deadline,
        (latencies, i) ->
            sketches
                .computeIfAbsent(
                    routeNames.get((int) routeMinutes.get(i)[1]), n -> new LatencySketch())
                .add(latencies));
    forEachHash(
        pathKeys,
        deadline,
        (pathCounts, i) -> {
          String name = routeNames.get((int) routeMinutes.get(i)[1]);
          for (Map.Entry<String, String> field : pathCounts.entrySet()) {
            String path = field.getKey().substring(2);
            long amount = Long.parseLong(field.getValue());
            if (field.getKey().startsWith("c:")) {
              paths.requests(name, path, amount);
            } else {
              paths.errors(name, path, amount);
            }
          }
        });

    List<RouteStats> routeStats = new ArrayList<>();
    long requests = 0;
    long errors = 0;
    long limited = 0;
    for (RouteTotals totals : routes.values()) {
      LatencySketch sketch = sketches.getOrDefault(totals.route, new LatencySketch());
      routeStats.add(
          new RouteStats(
              totals.route,
              totals.requests,
              totals.errors,
              totals.limited,
              sketch.percentileMillis(50),
              sketch.percentileMillis(95),
              sketch.percentileMillis(99)));
      requests += totals.requests;
      errors += totals.errors;
      limited += totals.limited;
    }
    List<RouteStats> slowest = new ArrayList<>(routeStats);
    slowest.sort(Comparator.comparingDouble(RouteStats::p99Millis).reversed());
    routeStats.sort(Comparator.comparingLong(RouteStats::requests).reversed());

    List<Count> limitedClients = new ArrayList<>();
    if (!clientKeys.isEmpty()) {
      RedisFuture<List<ScoredValue<String>>> clientsRead =
          redis.zunionWithScores(clientKeys.toArray(String[]::new));
      for (ScoredValue<String> client : await(List.of(clientsRead), deadline).getFirst()) {
        limitedClients.add(new Count(client.getValue(), (long) client.getScore()));
      }
    }

    return new Report(
        gateway,
        windowText,
        Instant.ofEpochMilli(first * 60_000L),
        Instant.ofEpochMilli((now + 1) * 60_000L),
        route.orElse(null),
        new Totals(requests, errors, limited, requests == 0 ? 0 : (double) errors / requests),
        routeStats,
        slowest.subList(0, Math.min(10, slowest.size())),
        paths.top(20),
        sortedCounts(limits, Integer.MAX_VALUE),
        top(limitedClients, 10),
        boxed(hours),
        peak(hours),
        statuses,
        timeline(first, requestsPerMinute, errorsPerMinute),
        await(List.of(surges.recent(20)), deadline).getFirst());
  }

  private static List<Count> sortedCounts(Map<String, Long> counts, int limit) {
    List<Count> list = new ArrayList<>();
    counts.forEach((name, count) -> list.add(new Count(name, count)));
    return top(list, limit);
  }

  /** Most first, then by name, so equal counts list the same way every time. */
  private static List<Count> top(List<Count> counts, int limit) {
    List<Count> sorted = new ArrayList<>(counts);
    sorted.sort(Comparator.comparingLong(Count::count).reversed().thenComparing(Count::name));
    return List.copyOf(sorted.subList(0, Math.min(limit, sorted.size())));
  }

  private static List<Long> boxed(long[] values) {
    List<Long> list = new ArrayList<>(values.length);
    for (long v : values) {
      list.add(v);
    }
    return Collections.unmodifiableList(list);
  }

  private static int peak(long[] hours) {
    int peak = -1;
    for (int h = 0; h < hours.length; h++) {
      if (hours[h] > 0 && (peak < 0 || hours[h] > hours[peak])) {
        peak = h;
      }
    }
    return peak;
  }

  private static Timeline timeline(long first, long[] requests, long[] errors) {
    int step = STEPS[STEPS.length - 1];
    for (int candidate : STEPS) {
      if (Math.ceilDiv(requests.length, candidate) <= MAX_POINTS) {
        step = candidate;
        break;
      }
    }
    Map<Long, Point> points = new LinkedHashMap<>();
    for (int start = 0; start < requests.length; start += step) {
      long r = 0;
      long e = 0;
      for (int i = start; i < Math.min(start + step, requests.length); i++) {
        r += requests[i];
        e += errors[i];
      }
      long minute = first + start;
      points.put(minute, new Point(Instant.ofEpochMilli(minute * 60_000L), r, e));
    }
    return new Timeline(step, List.copyOf(points.values()));
  }

  /**
   * {@code HGETALL} of each key, handed to {@code each} in order with the key's index: sent {@link
   * #MAX_IN_FLIGHT} at a time, each slice handed over and dropped before the next is read.
   */
  private void forEachHash(
      List<String> hashKeys, long deadline, ObjIntConsumer<Map<String, String>> each) {
    for (int start = 0; start < hashKeys.size(); start += MAX_IN_FLIGHT) {
      List<String> slice =
          hashKeys.subList(start, Math.min(start + MAX_IN_FLIGHT, hashKeys.size()));
      List<RedisFuture<Map<String, String>>> reads = new ArrayList<>(slice.size());
      slice.forEach(key -> reads.add(redis.hgetall(key)));
      List<Map<String, String>> hashes = await(reads, deadline);
      for (int i = 0; i < hashes.size(); i++) {
        each.accept(hashes.get(i), start + i);
      }
    }
  }

  /**
   * @param deadline {@link System#nanoTime()} by which all reads of the report must have answered
   */
  private static <T> List<T> await(List<? extends Future<T>> futures, long deadline) {
    List<T> results = new ArrayList<>(futures.size());
    try {
      for (Future<T> future : futures) {
        results.add(future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
      }
    } catch (ExecutionException e) {
      throw new ReportUnavailableException("reading the analytics store failed", e.getCause());
    } catch (TimeoutException e) {
      throw new ReportUnavailableException("Redis did not answer within " + READ_TIMEOUT, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ReportUnavailableException("interrupted", e);
    }
    return results;
  }

  private static final class RouteTotals {
    private final String route;
    private long requests;
    private long errors;
    private long limited;

    RouteTotals(String route) {
      this.route = route;
    }
  }
}
