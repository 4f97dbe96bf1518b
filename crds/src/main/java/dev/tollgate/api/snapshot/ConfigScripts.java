package dev.tollgate.api.snapshot;

/**
 * The Lua scripts that read and write the {@link ConfigKeys}, shared by the operator and the
 * gateways so both sides of the contract run the same text. Each script's header documents its
 * KEYS, ARGV and reply; every script touches only the keys of one gateway instance, which share a
 * hash slot, so it runs unchanged on a Redis Cluster.
 *
 * <p>The scripts are text blocks rather than resources because this module's resources are the
 * generated CRDs only.
 */
public final class ConfigScripts {
  /** Fenced, compare-and-set write of snapshot, version and fence, then PUBLISH (operator). */
  public static final String WRITE_SNAPSHOT =
      """
      -- Writes a compiled config snapshot, its version and the writer's leader epoch in one atomic
      -- step, then announces the version on the gateways' channel.
      --
      -- Fencing, two layers:
      --   * compare-and-set: the write happens only if the stored version is still the one the caller
      --     compared its content against (no lost update between read and write);
      --   * leader epoch: a caller whose epoch is lower than the stored one is a former leader that
      --     was paused past its lease; it is refused even if its read was fresh.
      --
      -- KEYS[1]  snapshot JSON key        tollgate:{<gw>}:config
      -- KEYS[2]  version key              tollgate:{<gw>}:config:version (integer, absent = 0)
      -- KEYS[3]  leader epoch key         tollgate:{<gw>}:config:fence (integer, absent = 0)
      -- The keys share the hash tag {<gw>}, so on a Redis Cluster they are in one slot.
      -- ARGV[1]  expected current version (integer)
      -- ARGV[2]  new version (integer, > ARGV[1]; higher than ARGV[1] + 1 when Redis lost its data and
      --          the caller remembers a newer version, so gateways never see the version go back)
      -- ARGV[3]  snapshot JSON, already carrying "version": ARGV[2]
      -- ARGV[4]  caller's leader epoch (integer, Lease acquireTime in epoch millis)
      -- ARGV[5]  pub/sub channel          tollgate:{<gw>}:config
      -- Returns  {1, new version}      written and published
      --          {0, stored version}   version moved on since the caller read it: re-read and retry
      --          {-1, stored epoch}    fenced: a newer leader has written
      -- No TTLs: config keys must never expire or be evicted (Redis runs volatile-* eviction).
      local expected_version = tonumber(ARGV[1])
      local new_version = tonumber(ARGV[2])
      local snapshot_json = ARGV[3]
      local caller_epoch = tonumber(ARGV[4])
      local channel = ARGV[5]

      local stored_epoch = tonumber(redis.call('GET', KEYS[3]) or '0')
      if caller_epoch < stored_epoch then
        return {-1, stored_epoch}
      end
      local stored_version = tonumber(redis.call('GET', KEYS[2]) or '0')
      if stored_version ~= expected_version then
        return {0, stored_version}
      end
      redis.call('SET', KEYS[1], snapshot_json)
      redis.call('SET', KEYS[2], new_version)
      redis.call('SET', KEYS[3], caller_epoch)
      redis.call('PUBLISH', channel, new_version)
      return {1, new_version}
      """;

  /** A gateway pod's report of the version it serves, with an expiry from Redis TIME. */
  public static final String REPORT_APPLIED_VERSION =
      """
      -- A gateway pod reports the config version it serves, and the resources of that version it left
      -- out because it cannot serve them: fields of the live-gateways hash, valid until an expiry
      -- taken from Redis TIME (pods' clocks differ; the operator compares with the same Redis clock in
      -- live-gateways.lua).
      --
      -- KEYS[1]  live-gateways hash       tollgate:{<gw>}:gateways
      -- ARGV[1]  pod id (hash field; a Kubernetes pod name, so it never contains '#')
      -- ARGV[2]  served version (integer)
      -- ARGV[3]  time to live in ms (gateways: 15000, refreshed every 5 s)
      -- ARGV[4]  the left-out resources, one "<Kind>/<namespace>/<name>\\t<reason>" line each
      --          (RejectionReport, at most about 60 KB); empty when none
      -- Writes   field <pod>           = "<served version> <expiry ms>"
      --          field <pod>#rejected  = "<served version> <expiry ms>\\n<ARGV[4]>", deleted when empty
      --          (a field of its own, so the first keeps the shape every operator version reads)
      -- Returns  the expiry in epoch ms
      -- The hash expires after the longest TTL any pod reported, so once every gateway of an instance
      -- is gone nothing is left behind even without an operator pruning it.
      local pod = ARGV[1]
      local version = ARGV[2]
      local ttl_ms = tonumber(ARGV[3])
      local rejected = ARGV[4] or ''

      local time = redis.call('TIME')
      local expiry_ms = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000) + ttl_ms
      local report = version .. ' ' .. string.format('%.0f', expiry_ms)
      redis.call('HSET', KEYS[1], pod, report)
      if rejected == '' then
        redis.call('HDEL', KEYS[1], pod .. '#rejected')
      else
        redis.call('HSET', KEYS[1], pod .. '#rejected', report .. '\\n' .. rejected)
      end
      -- Only ever lengthen the hash's TTL: a pod with a short TTL must not expire the others' fields.
      if redis.call('PTTL', KEYS[1]) < ttl_ms then
        redis.call('PEXPIRE', KEYS[1], ttl_ms)
      end
      return expiry_ms
      """;

  /**
   * The served versions and rejection reports of the live pods, pruning expired ones (operator).
   */
  public static final String LIVE_GATEWAYS =
      """
      -- What the live gateway pods of one instance serve, removing the reports that have expired (pods
      -- that died without withdrawing) so the hash stays as small as the fleet.
      --
      -- KEYS[1]  live-gateways hash       tollgate:{<gw>}:gateways (field <pod> = "<served version>
      --                                   <expiry epoch ms>", field <pod>#rejected = the same line,
      --                                   a newline and the left-out resources; report-applied-version.lua)
      -- Returns  {served, rejected}: served = the served versions of the pods whose expiry is after
      --          Redis TIME, as strings; rejected = "<served version>\\n<left-out resources>" of those
      --          pods that left something out; both in no particular order. Malformed values are
      --          removed like expired ones.
      local time = redis.call('TIME')
      local now_ms = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)

      local entries = redis.call('HGETALL', KEYS[1])
      local served = {}
      local rejected = {}
      for i = 1, #entries, 2 do
        local field = entries[i]
        local value = entries[i + 1]
        if string.sub(field, -9) == '#rejected' then
          local version, expiry_ms, rest = string.match(value, '^(%d+) (%d+)\\n(.*)$')
          if version == nil or tonumber(expiry_ms) <= now_ms then
            redis.call('HDEL', KEYS[1], field)
          else
            rejected[#rejected + 1] = version .. '\\n' .. rest
          end
        else
          local version, expiry_ms = string.match(value, '^(%d+) (%d+)$')
          if version == nil or tonumber(expiry_ms) <= now_ms then
            redis.call('HDEL', KEYS[1], field)
          else
            served[#served + 1] = version
          end
        end
      end
      return {served, rejected}
      """;

  private ConfigScripts() {}
}
