package dev.tollgate.analytics.ingest;

import dev.tollgate.analytics.store.BucketKeys;
import dev.tollgate.analytics.store.LatencySketch;
import dev.tollgate.api.access.AccessRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sums a batch of access records per minute bucket in memory and turns the sums into the arguments
 * of {@code apply-batch.lua}: a batch of 500 requests to a few routes becomes a few dozen {@code
 * HINCRBY}s instead of 500 × 6.
 */
final class BatchAggregate {
  private final BucketKeys keys;
  private final long retentionSeconds;
  private final Map<String, Map<String, Long>> counters = new LinkedHashMap<>();
  private final Map<String, Map<String, long[]>> paths = new LinkedHashMap<>();
  private final Map<String, LatencySketch> latencies = new LinkedHashMap<>();
  private final Map<String, Map<String, Long>> limitedClients = new LinkedHashMap<>();
  private final Map<String, Long> expiries = new HashMap<>();

  BatchAggregate(BucketKeys keys, Duration retention) {
    this.keys = keys;
    this.retentionSeconds = retention.toSeconds();
  }

  void add(AccessRecord record) {
    long minute = Math.floorDiv(record.timeMillis(), 60_000L);
    long expiry = (minute + 1) * 60 + retentionSeconds;
    String route = record.route().isEmpty() ? BucketKeys.NO_ROUTE : record.route();
    boolean error = record.status() >= 500;

    Map<String, Long> minuteCounters = counters(keys.minute(minute), expiry);
    increment(minuteCounters, "n");
    increment(minuteCounters, "r:" + route);
    increment(minuteCounters, "s:" + record.status());
    if (error) {
      increment(minuteCounters, "e:" + route);
    }
    if (record.status() == 429) {
      increment(minuteCounters, "q:" + route);
    }
    for (AccessRecord.LimitDecision decision : record.limits()) {
      if (decision.limited()) {
        increment(minuteCounters, "l:" + decision.id());
      }
    }

    String pathKey = keys.paths(minute, route);
    expiries.put(pathKey, expiry);
    long[] path =
        paths
            .computeIfAbsent(pathKey, k -> new LinkedHashMap<>())
            .computeIfAbsent(record.path().isEmpty() ? "/" : record.path(), p -> new long[2]);
    path[0]++;
    if (error) {
      path[1]++;
    }

    String latencyKey = keys.latency(minute, route);
    expiries.put(latencyKey, expiry);
    latencies.computeIfAbsent(latencyKey, k -> new LatencySketch()).record(record.durationMicros());

    if (record.limited() && !record.client().isEmpty()) {
      increment(counters(limitedClients, keys.limitedClients(minute), expiry), record.client());
    }
  }

  private Map<String, Long> counters(String key, long expiry) {
    return counters(counters, key, expiry);
  }

  private Map<String, Long> counters(
      Map<String, Map<String, Long>> byKey, String key, long expiry) {
    expiries.put(key, expiry);
    return byKey.computeIfAbsent(key, k -> new LinkedHashMap<>());
  }

  private static void increment(Map<String, Long> counters, String field) {
    counters.merge(field, 1L, Long::sum);
  }

  /**
   * The script's keys and arguments for applying this batch as the entries {@code ids}.
   *
   * @param stream the access stream (KEYS[1])
   */
  ScriptArguments arguments(
      String stream,
      String group,
      String consumer,
      int maxPaths,
      int topClients,
      List<String> ids) {
    Map<String, Integer> keyIndex = new LinkedHashMap<>();
    keyIndex.put(stream, 1);
    List<String> ops = new ArrayList<>();
    counters.forEach(
        (key, fields) -> fields.forEach((field, n) -> op(ops, keyIndex, "h", key, field, n, 0)));
    paths.forEach(
        (key, byPath) ->
            byPath.forEach((path, n) -> op(ops, keyIndex, "p", key, path, n[0], n[1])));
    latencies.forEach(
        (key, sketch) ->
            sketch.forEachBucket((bucket, n) -> op(ops, keyIndex, "h", key, bucket, n, 0)));
    limitedClients.forEach(
        (key, clients) ->
            clients.forEach((client, n) -> op(ops, keyIndex, "z", key, client, n, 0)));

    List<String> args = new ArrayList<>(5 + ids.size() + keyIndex.size() + ops.size());
    args.add(group);
    args.add(consumer);
    args.add(Integer.toString(maxPaths));
    args.add(Integer.toString(topClients));
    args.add(Integer.toString(ids.size()));
    args.addAll(ids);
    List<String> keyList = new ArrayList<>(keyIndex.keySet());
    for (String key : keyList.subList(1, keyList.size())) {
      args.add(Long.toString(expiries.get(key)));
    }
    args.addAll(ops);
    return new ScriptArguments(keyList, args);
  }

  private static void op(
      List<String> ops,
      Map<String, Integer> keyIndex,
      String kind,
      String key,
      String field,
      long amount,
      long amount2) {
    int index = keyIndex.computeIfAbsent(key, k -> keyIndex.size() + 1);
    ops.add(kind);
    ops.add(Integer.toString(index));
    ops.add(field);
    ops.add(Long.toString(amount));
    ops.add(Long.toString(amount2));
  }

  /** KEYS and ARGV of one script call. */
  record ScriptArguments(List<String> keys, List<String> args) {}
}
