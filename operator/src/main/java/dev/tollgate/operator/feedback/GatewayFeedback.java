package dev.tollgate.operator.feedback;

import dev.tollgate.operator.redis.RedisKeys;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.KeyValue;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the applied-version keys the gateways keep alive ({@code tollgate:<gw>:gateways:<pod>} =
 * served version, TTL 15 s refreshed every 5 s). A pod that stops refreshing drops out when its key
 * expires, which is what "live" means here.
 */
public final class GatewayFeedback {
  private static final int SCAN_BATCH = 200;

  private final RedisCommands<String, String> redis;
  private final RedisKeys keys;

  public GatewayFeedback(RedisCommands<String, String> redis, RedisKeys keys) {
    this.redis = redis;
    this.keys = keys;
  }

  /** Served versions of the live gateway pods, sorted; values that are not integers are skipped. */
  public List<Long> servedVersions() {
    List<String> podKeys = new ArrayList<>();
    ScanArgs args = ScanArgs.Builder.matches(keys.gatewayPattern()).limit(SCAN_BATCH);
    KeyScanCursor<String> cursor = redis.scan(args);
    podKeys.addAll(cursor.getKeys());
    while (!cursor.isFinished()) {
      cursor = redis.scan(ScanCursor.of(cursor.getCursor()), args);
      podKeys.addAll(cursor.getKeys());
    }
    if (podKeys.isEmpty()) {
      return List.of();
    }
    List<Long> versions = new ArrayList<>();
    // A key may expire between SCAN and MGET: that pod is simply no longer live.
    for (KeyValue<String, String> value : redis.mget(podKeys.toArray(String[]::new))) {
      if (value.hasValue()) {
        parse(value.getValue()).ifPresent(versions::add);
      }
    }
    versions.sort(null);
    return List.copyOf(versions);
  }

  private static java.util.Optional<Long> parse(String value) {
    try {
      return java.util.Optional.of(Long.parseLong(value.strip()));
    } catch (NumberFormatException e) {
      return java.util.Optional.empty();
    }
  }
}
