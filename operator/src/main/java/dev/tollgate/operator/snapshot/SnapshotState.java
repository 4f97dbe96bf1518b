package dev.tollgate.operator.snapshot;

import dev.tollgate.operator.feedback.AppliedCount;
import dev.tollgate.operator.feedback.FleetReport;
import dev.tollgate.rules.ResourceId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What the operator knows about the config in Redis, for the {@code Programmed} condition: the
 * stored version, in which version each resource's current entry first appeared, and which versions
 * the live gateways serve. Listeners (the reconcilers' event sources) hear about every change, so
 * statuses follow writes and gateway feedback without polling each resource.
 */
public final class SnapshotState {
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private final Map<ResourceId, Programmed> programmed = new HashMap<>();
  private long storedVersion;
  private FleetReport fleet = FleetReport.EMPTY;
  private String writeError;

  /** An entry as last stored: its JSON, the resource generation it came from, its version. */
  private record Programmed(String entryJson, long generation, long version) {}

  /**
   * Records that Redis holds {@code version} with exactly these entries. An entry whose JSON is
   * unchanged keeps the version it first appeared in, so "applied by" counts gateways that serve
   * what this resource needs, not the newest write caused by someone else.
   */
  public void stored(long version, Map<ResourceId, SnapshotEntry> entries) {
    synchronized (this) {
      Map<ResourceId, Programmed> next = new HashMap<>();
      entries.forEach(
          (key, entry) -> {
            Programmed previous = programmed.get(key);
            long since =
                previous != null && previous.entryJson().equals(entry.json())
                    ? previous.version()
                    : version;
            next.put(key, new Programmed(entry.json(), entry.generation(), since));
          });
      boolean changed = version != storedVersion || !sameEntries(next) || writeError != null;
      writeError = null;
      programmed.clear();
      programmed.putAll(next);
      storedVersion = version;
      if (!changed) {
        return;
      }
    }
    listeners.forEach(Runnable::run);
  }

  /** Records that writing to Redis failed; notifies when writes start failing. */
  public void writeFailed(String error) {
    synchronized (this) {
      boolean wasFailing = writeError != null;
      writeError = error;
      if (wasFailing) {
        return;
      }
    }
    listeners.forEach(Runnable::run);
  }

  /** Why the last write failed, while no write has succeeded since. */
  public synchronized Optional<String> writeError() {
    return Optional.ofNullable(writeError);
  }

  /** Records what the live gateways serve and leave out; notifies only on change. */
  public void served(FleetReport report) {
    synchronized (this) {
      if (fleet.equals(report)) {
        return;
      }
      fleet = report;
    }
    listeners.forEach(Runnable::run);
  }

  /**
   * The config version that contains generation {@code generation} of the resource, if Redis holds
   * one yet.
   */
  public synchronized OptionalLong versionContaining(ResourceId key, long generation) {
    Programmed entry = programmed.get(key);
    return entry != null && entry.generation() >= generation
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

  public void addListener(Runnable listener) {
    listeners.add(listener);
  }

  public void removeListener(Runnable listener) {
    listeners.remove(listener);
  }

  private boolean sameEntries(Map<ResourceId, Programmed> next) {
    return Objects.equals(programmed, next);
  }
}
