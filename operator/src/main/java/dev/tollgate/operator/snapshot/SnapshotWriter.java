package dev.tollgate.operator.snapshot;

import dev.tollgate.api.snapshot.ConfigKeys;
import dev.tollgate.api.snapshot.ConfigScripts;
import io.lettuce.core.KeyValue;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.util.List;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;

/**
 * Stores a rendered snapshot under the next version, atomically and fenced ({@link
 * ConfigScripts#WRITE_SNAPSHOT}), unless Redis already holds the same content.
 *
 * <p>"Same content" is decided by rendering the new snapshot <em>at the stored version</em> and
 * comparing it with the stored JSON byte for byte: rendering is deterministic, so a restarted
 * operator with unchanged resources produces exactly the stored text and writes nothing.
 */
public final class SnapshotWriter {
  private static final int MAX_ATTEMPTS = 3;

  private final RedisClusterCommands<String, String> redis;
  private final ConfigKeys keys;
  private final LongSupplier leaderEpoch;
  private long lastWritten;

  /**
   * @param leaderEpoch the fencing token of this writer (Lease transitions when it became leader; 0
   *     without leader election)
   */
  public SnapshotWriter(
      RedisClusterCommands<String, String> redis, ConfigKeys keys, LongSupplier leaderEpoch) {
    this.redis = redis;
    this.keys = keys;
    this.leaderEpoch = leaderEpoch;
  }

  /**
   * @param render the snapshot JSON for a given version; must be deterministic
   */
  public WriteResult write(LongFunction<String> render) {
    long storedVersion = 0;
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      Stored stored = read();
      storedVersion = stored.version();
      if (stored.json() != null && stored.json().equals(render.apply(storedVersion))) {
        return WriteResult.unchanged(storedVersion);
      }
      // Versions only grow, even if Redis lost its data: gateways may ignore an older number.
      long next = Math.max(storedVersion, lastWritten) + 1;
      List<Long> reply =
          redis.eval(
              ConfigScripts.WRITE_SNAPSHOT,
              ScriptOutputType.MULTI,
              new String[] {keys.config(), keys.version(), keys.fence()},
              Long.toString(storedVersion),
              Long.toString(next),
              render.apply(next),
              Long.toString(leaderEpoch.getAsLong()),
              keys.channel());
      long status = reply.get(0);
      if (status == 1) {
        lastWritten = next;
        return WriteResult.written(next);
      }
      if (status == -1) {
        return WriteResult.fenced(storedVersion);
      }
      // status 0: another writer moved the version between our read and write; compare again.
    }
    return WriteResult.conflict(storedVersion);
  }

  /** The version currently stored in Redis (0 when none). */
  public long storedVersion() {
    return read().version();
  }

  private Stored read() {
    List<KeyValue<String, String>> values = redis.mget(keys.config(), keys.version());
    String json = values.get(0).getValueOrElse(null);
    String version = values.get(1).getValueOrElse("0");
    return new Stored(json, Long.parseLong(version));
  }

  private record Stored(String json, long version) {}
}
