package dev.tollgate.limiter.redis;

import dev.tollgate.limiter.LimitCheck;
import io.lettuce.core.cluster.SlotHash;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Splits a request's limits into script calls: all in one on a single Redis, one per hash slot on a
 * cluster (Redis refuses a script whose keys span slots).
 */
final class SlotGrouping {
  // The positions 0..n-1 of small requests, shared instead of built per decision.
  private static final List<List<Integer>> POSITIONS =
      IntStream.rangeClosed(0, 8).mapToObj(n -> IntStream.range(0, n).boxed().toList()).toList();

  private final RedisKeys keys;
  private final boolean cluster;

  SlotGrouping(RedisKeys keys, boolean cluster) {
    this.keys = keys;
    this.cluster = cluster;
  }

  List<SlotGroup> groups(List<LimitCheck> checks) {
    if (!cluster) {
      // One group of everything, built without the per-slot maps (this runs for every decision).
      String[] stateKeys = new String[checks.size()];
      for (int i = 0; i < stateKeys.length; i++) {
        stateKeys[i] = keys.stateKey(checks.get(i));
      }
      return List.of(new SlotGroup(0, positions(checks.size()), checks, stateKeys));
    }
    Map<Integer, List<Integer>> bySlot = new LinkedHashMap<>();
    List<String> stateKeys = new ArrayList<>(checks.size());
    for (int i = 0; i < checks.size(); i++) {
      String key = keys.stateKey(checks.get(i));
      stateKeys.add(key);
      int slot = cluster ? SlotHash.getSlot(key) : 0;
      bySlot.computeIfAbsent(slot, s -> new ArrayList<>()).add(i);
    }
    List<SlotGroup> groups = new ArrayList<>(bySlot.size());
    for (Map.Entry<Integer, List<Integer>> slot : bySlot.entrySet()) {
      List<Integer> indexes = slot.getValue();
      groups.add(
          new SlotGroup(
              slot.getKey(),
              List.copyOf(indexes),
              indexes.stream().map(checks::get).toList(),
              indexes.stream().map(stateKeys::get).toArray(String[]::new)));
    }
    return groups;
  }

  private static List<Integer> positions(int n) {
    return n < POSITIONS.size() ? POSITIONS.get(n) : IntStream.range(0, n).boxed().toList();
  }
}
