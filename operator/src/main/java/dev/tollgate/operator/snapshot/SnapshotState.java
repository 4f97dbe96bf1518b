package dev.tollgate.operator.snapshot;

import dev.tollgate.operator.feedback.AppliedCount;
import dev.tollgate.operator.feedback.FleetReport;
import dev.tollgate.rules.ResourceId;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * What the operator knows about the config in Redis, for the {@code Programmed} condition: the
 * stored version, in which version each resource's current entry first appeared, and which versions
 * the live gateways serve. Listeners (the reconcilers' event sources) hear about every change, with
 * the resources it concerns ({@link StateChange}), so statuses follow writes and gateway feedback
 * without polling each resource, and an edit wakes the resources it concerns, not all of them.
 */
public final class SnapshotState {
  private final List<Consumer<StateChange>> listeners = new CopyOnWriteArrayList<>();
  private final Map<ResourceId, Programmed> programmed = new HashMap<>();
  private long storedVersion;
  private FleetReport fleet = FleetReport.EMPTY;
  private String writeError;
  private boolean known;

  /**
   * An entry as last stored: its JSON, the resource uid and generation it came from, its version.
   */
  private record Programmed(String entryJson, String uid, long generation, long version) {}

  /**
   * Records that Redis holds {@code version} with exactly these entries. An entry whose JSON is
   * unchanged keeps the version it first appeared in, so "applied by" counts gateways that serve
   * what this resource needs, not the newest write caused by someone else.
   */
  public void stored(long version, Map<ResourceId, SnapshotEntry> entries) {
    StateChange change;
    synchronized (this) {
      Map<ResourceId, Programmed> next = new HashMap<>();
      Set<ResourceId> changed = new HashSet<>();
      entries.forEach(
          (key, entry) -> {
            Programmed previous = programmed.get(key);
            long since =
                previous != null && previous.entryJson().equals(entry.json())
                    ? previous.version()
                    : version;
            Programmed now = new Programmed(entry.json(), entry.uid(), entry.generation(), since);
            next.put(key, now);
            if (!now.equals(previous)) {
              changed.add(key);
            }
          });
      programmed.keySet().stream().filter(key -> !next.containsKey(key)).forEach(changed::add);
      // the first word from Redis concerns every resource, also those the snapshot leaves out:
      // their reconciles waited for it (known())
      change = writeError != null || !known ? StateChange.EVERYTHING : StateChange.of(changed);
      known = true;
      writeError = null;
      programmed.clear();
      programmed.putAll(next);
      storedVersion = version;
    }
    notify(change);
  }

  /** Records that writing to Redis failed; notifies when writes start failing. */
  public void writeFailed(String error) {
    synchronized (this) {
      boolean wasFailing = writeError != null;
      writeError = error;
      known = true;
      if (wasFailing) {
        return;
      }
    }
    notify(StateChange.EVERYTHING);
  }

  /**
   * Whether this replica has heard from Redis since it started leading: a version stored or read
   * back, or a write that failed. Until then it knows no stored version, and a {@code Programmed}
   * decided then would say Pending for every resource, to say True again a moment later: each
   * restart or leader change would flip every status twice (two writes per resource, and {@code
   * kubectl wait} or a GitOps health check seeing False).
   */
  public synchronized boolean known() {
    return known;
  }

  /** Why the last write failed, while no write has succeeded since. */
  public synchronized Optional<String> writeError() {
    return Optional.ofNullable(writeError);
  }

  /**
   * Records what the live gateways serve and leave out; notifies only on change, naming the
   * resources whose counts moved: those whose version a gateway reached or left, and those a
   * gateway reports leaving out (or no longer). When a gateway came or went every count changes.
   */
  public void served(FleetReport report) {
    StateChange change;
    synchronized (this) {
      if (fleet.equals(report)) {
        return;
      }
      FleetReport before = fleet;
      fleet = report;
      if (before.servedVersions().size() != report.servedVersions().size()) {
        change = StateChange.EVERYTHING;
      } else {
        Set<ResourceId> moved = new HashSet<>();
        programmed.forEach(
            (key, entry) -> {
              if (applied(before, entry.version()) != applied(report, entry.version())) {
                moved.add(key);
              }
            });
        Stream.concat(before.rejections().stream(), report.rejections().stream())
            .forEach(r -> moved.addAll(r.report().reasons().keySet()));
        change = StateChange.of(moved);
      }
    }
    notify(change);
  }

  private static long applied(FleetReport fleet, long version) {
    return fleet.servedVersions().stream().filter(v -> v >= version).count();
  }

  /**
   * The config version that contains generation {@code generation} of the resource with {@code
   * uid}, if Redis holds one yet. Not one that holds an earlier object of the same name: until the
   * one created again is written, the gateways serve its predecessor.
   */
  public synchronized OptionalLong versionContaining(ResourceId key, String uid, long generation) {
    Programmed entry = programmed.get(key);
    return entry != null && Objects.equals(entry.uid(), uid) && entry.generation() >= generation
        ? OptionalLong.of(entry.version())
        : OptionalLong.empty();
  }

  /** The highest version a live gateway reports serving; 0 when none reports. */
  public synchronized long highestServed() {
    return fleet.servedVersions().stream().mapToLong(Long::longValue).max().orElse(0);
  }

  /** How the live gateways took {@code resource}, whose entry first appeared in {@code version}. */
  public synchronized AppliedCount appliedCount(ResourceId resource, long version) {
    return AppliedCount.of(resource, version, fleet);
  }

  public synchronized long storedVersion() {
    return storedVersion;
  }

  public void addListener(Consumer<StateChange> listener) {
    listeners.add(listener);
  }

  public void removeListener(Consumer<StateChange> listener) {
    listeners.remove(listener);
  }

  private void notify(StateChange change) {
    if (!change.isEmpty()) {
      listeners.forEach(l -> l.accept(change));
    }
  }
}
