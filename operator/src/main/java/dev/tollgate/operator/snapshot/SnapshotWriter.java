package dev.tollgate.operator.snapshot;

import dev.tollgate.api.snapshot.ConfigKeys;
import dev.tollgate.api.snapshot.ConfigScripts;
import dev.tollgate.rules.ResourceId;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.LongSupplier;

/**
 * Stores the compiled entries in Redis, one field per resource ({@link ConfigKeys#entries()}),
 * under the next version: only the entries that changed, with the log of what changed, atomically
 * and fenced ({@link ConfigScripts#WRITE_CONFIG}). An edit among 20,000 resources writes one entry,
 * and each gateway reads one.
 *
 * <p>The writer keeps a copy of what Redis holds at the version it last wrote or read, and compares
 * against it; when Redis holds another version (another writer, a failover, a flush) it reads all
 * entries back first ({@link ConfigScripts#READ_CONFIG}), so a restarted operator with unchanged
 * resources writes nothing. Everything is written anew, under a new lineage, when Redis holds no
 * configuration or when a gateway serves a version above the stored one (it would never apply a
 * lower number, and its entries are of another history).
 *
 * <p>Not thread-safe: the snapshot sync calls it from its one thread.
 */
public final class SnapshotWriter {
  private static final int MAX_ATTEMPTS = 3;

  private final RedisClusterCommands<String, String> redis;
  private final ConfigKeys keys;
  private final LongSupplier leaderEpoch;
  private Map<String, String> held;
  private long heldVersion;
  private long lastWritten;

  /**
   * @param leaderEpoch the fencing token of this writer (Lease acquireTime when it became leader; 0
   *     without leader election)
   */
  public SnapshotWriter(
      RedisClusterCommands<String, String> redis, ConfigKeys keys, LongSupplier leaderEpoch) {
    this.redis = redis;
    this.keys = keys;
    this.leaderEpoch = leaderEpoch;
  }

  /**
   * @param entries every resource's entry as it should be stored
   * @param highestServed the highest version a live gateway reports serving (0 when none)
   */
  public WriteResult write(Map<ResourceId, SnapshotEntry> entries, long highestServed) {
    Map<String, String> wanted = new HashMap<>();
    entries.forEach((id, entry) -> wanted.put(id.key(), entry.json()));
    boolean full = false;
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      if (held == null || storedVersion() != heldVersion) {
        readBack();
      }
      full |= heldVersion == 0 || highestServed > heldVersion;
      List<String> changes = full ? pairs(wanted) : changes(held, wanted);
      if (changes.isEmpty() && !full) {
        return WriteResult.unchanged(heldVersion);
      }
      List<Long> reply = eval(full, changes);
      long status = reply.get(0);
      if (status == 1) {
        held = wanted;
        heldVersion = reply.get(1);
        lastWritten = heldVersion;
        return WriteResult.written(heldVersion);
      }
      if (status == -1) {
        return WriteResult.fenced(heldVersion);
      }
      // 0: another writer moved the version: read back and compare again. -2: the changes would
      // not follow the stored version directly (a gateway serves a higher one): write everything.
      held = null;
      full |= status == -2;
    }
    return WriteResult.conflict(heldVersion);
  }

  /** The version Redis holds now (0 when none). */
  public long storedVersion() {
    String version = redis.get(keys.version());
    return version == null ? 0 : Long.parseLong(version);
  }

  /**
   * Whether Redis still holds what this writer last wrote or read; false when it holds another
   * version (a flush, a failover, another writer), which the next write repairs.
   */
  public boolean inSync() {
    return held != null && storedVersion() == heldVersion;
  }

  private void readBack() {
    List<Object> reply =
        redis.eval(
            ConfigScripts.READ_CONFIG, ScriptOutputType.MULTI, keys.readScriptKeys(), "0", "");
    Map<String, String> stored = new HashMap<>();
    for (int i = 4; i + 1 < reply.size(); i += 2) {
      stored.put((String) reply.get(i), (String) reply.get(i + 1));
    }
    held = stored;
    heldVersion = (Long) reply.get(0);
  }

  private List<Long> eval(boolean full, List<String> changes) {
    List<String> args = new ArrayList<>(8 + changes.size());
    args.add(Long.toString(heldVersion));
    args.add(Long.toString(lastWritten + 1));
    args.add(Long.toString(leaderEpoch.getAsLong()));
    args.add(keys.channel());
    args.add(full ? "full" : "diff");
    args.add(full ? UUID.randomUUID().toString() : "");
    args.add(Integer.toString(ConfigScripts.MAX_LOGGED_CHANGES));
    args.add(Integer.toString(ConfigScripts.MAX_LOG_LENGTH));
    args.addAll(changes);
    return redis.eval(
        ConfigScripts.WRITE_CONFIG,
        ScriptOutputType.MULTI,
        keys.writeScriptKeys(),
        args.toArray(String[]::new));
  }

  /** Field, JSON pairs of every entry. */
  private static List<String> pairs(Map<String, String> entries) {
    List<String> pairs = new ArrayList<>(2 * entries.size());
    entries.forEach(
        (field, json) -> {
          pairs.add(field);
          pairs.add(json);
        });
    return pairs;
  }

  /** Field, JSON pairs of what differs; JSON "" deletes. */
  private static List<String> changes(Map<String, String> stored, Map<String, String> wanted) {
    List<String> changes = new ArrayList<>();
    wanted.forEach(
        (field, json) -> {
          if (!Objects.equals(stored.get(field), json)) {
            changes.add(field);
            changes.add(json);
          }
        });
    stored.keySet().stream()
        .filter(field -> !wanted.containsKey(field))
        .forEach(
            field -> {
              changes.add(field);
              changes.add("");
            });
    return changes;
  }
}
