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
  /** Most changed entries a version's log entry lists; a larger change says "bulk" instead. */
  public static final int MAX_LOGGED_CHANGES = 500;

  /** Versions the log keeps; a gateway further behind reads every entry. */
  public static final int MAX_LOG_LENGTH = 128;

  /** Fenced, compare-and-set write of changed entries and the next version, then PUBLISH. */
  public static final String WRITE_CONFIG =
      """
      -- Writes the entries that changed (or all entries) under the next version, in one atomic step,
      -- logs which entries that version changed, and announces the version on the gateways' channel.
      --
      -- Fencing, two layers:
      --   * compare-and-set: the write happens only if the stored version is still the one the caller
      --     compared its entries against (no lost update between read and write);
      --   * leader epoch: a caller whose epoch is lower than the stored one, or than one a gateway
      --     reports serving, is a former leader that was paused past its lease; it is refused even if
      --     its read was fresh. The gateways' reports survive a flush of the config keys (gateways
      --     write them again within seconds), so the fence does too.
      -- Versions only grow: the new version is above the stored one, the caller's floor, and every
      -- version a gateway reports serving (after a flush the gateways still serve the old numbers, and
      -- they never apply a lower one).
      --
      -- KEYS[1]  entries hash          tollgate:{<gw>}:config:entries (field <Kind>/<ns>/<name> = JSON)
      -- KEYS[2]  log stream            tollgate:{<gw>}:config:log
      -- KEYS[3]  version key           tollgate:{<gw>}:config:version (integer, absent = 0)
      -- KEYS[4]  leader epoch key      tollgate:{<gw>}:config:fence (integer, absent = 0)
      -- KEYS[5]  lineage key           tollgate:{<gw>}:config:lineage
      -- KEYS[6]  gateways hash         tollgate:{<gw>}:gateways (value "<version> <expiry ms> <epoch>")
      -- ARGV[1]  expected stored version (integer, 0 = none)
      -- ARGV[2]  lowest acceptable new version (the caller's last written + 1)
      -- ARGV[3]  caller's leader epoch (integer, Lease acquireTime in epoch millis; 0 = no election)
      -- ARGV[4]  pub/sub channel       tollgate:{<gw>}:config
      -- ARGV[5]  mode: 'diff' (change the entries below) or 'full' (replace all entries by those
      --          below and start a new lineage: a fresh or flushed Redis, or a version jump)
      -- ARGV[6]  the new lineage id (mode 'full' only)
      -- ARGV[7]  most changes a log entry lists (more are logged as 'bulk')
      -- ARGV[8]  log length to keep
      -- ARGV[9], ARGV[10], ...  pairs: entry field, entry JSON ('' = delete the entry)
      -- Returns  {1, new version}           written and published
      --          {0, stored version}        the version moved on since the caller read it: re-read
      --          {-1, known epoch}          fenced: a newer leader has written
      --          {-2, new version}          a 'diff' would not directly follow the stored version
      --                                     (a gateway serves a higher one): write 'full' instead
      -- No TTLs: config keys must never expire or be evicted (Redis runs volatile-* eviction).
      local expected_version = tonumber(ARGV[1])
      local floor_version = tonumber(ARGV[2])
      local caller_epoch = tonumber(ARGV[3])
      local channel = ARGV[4]
      local mode = ARGV[5]
      local new_lineage = ARGV[6]
      local max_logged = tonumber(ARGV[7])
      local log_length = ARGV[8]

      local served_version, served_epoch = 0, 0
      for _, field in ipairs(redis.call('HKEYS', KEYS[6])) do
        if not string.find(field, '#', 1, true) then
          local value = redis.call('HGET', KEYS[6], field) or ''
          local version, epoch = string.match(value, '^(%d+) %d+ (%d+)$')
          if version == nil then
            version = string.match(value, '^(%d+) %d+$')
          end
          if version then
            served_version = math.max(served_version, tonumber(version))
          end
          if epoch then
            served_epoch = math.max(served_epoch, tonumber(epoch))
          end
        end
      end

      local known_epoch = math.max(tonumber(redis.call('GET', KEYS[4]) or '0'), served_epoch)
      if caller_epoch < known_epoch then
        return {-1, known_epoch}
      end
      local stored_version = tonumber(redis.call('GET', KEYS[3]) or '0')
      if stored_version ~= expected_version then
        return {0, stored_version}
      end
      local new_version = math.max(stored_version + 1, floor_version, served_version + 1)
      if mode == 'diff' and (stored_version == 0 or new_version ~= stored_version + 1) then
        return {-2, new_version}
      end

      if mode == 'full' then
        redis.call('DEL', KEYS[1], KEYS[2])
        redis.call('SET', KEYS[5], new_lineage)
      end
      local names = {}
      for i = 9, #ARGV, 2 do
        if ARGV[i + 1] == '' then
          redis.call('HDEL', KEYS[1], ARGV[i])
        else
          redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
        end
        names[#names + 1] = ARGV[i]
      end
      local id = string.format('%d', new_version) .. '-1'
      if mode == 'full' then
        redis.call('XADD', KEYS[2], 'MAXLEN', log_length, id, 'mode', 'full')
      elseif #names > max_logged then
        redis.call('XADD', KEYS[2], 'MAXLEN', log_length, id, 'mode', 'bulk')
      else
        redis.call('XADD', KEYS[2], 'MAXLEN', log_length, id, 'mode', 'diff',
            'changed', table.concat(names, '\\n'))
      end
      redis.call('SET', KEYS[3], new_version)
      redis.call('SET', KEYS[4], caller_epoch)
      redis.call('PUBLISH', channel, new_version)
      return {1, new_version}
      """;

  /** What changed since the version a reader holds, or everything (gateways and operator). */
  public static final String READ_CONFIG =
      """
      -- Reads the configuration newer than what the caller holds, in one atomic step: only the entries
      -- the log says changed since the caller's version (one edit: one entry), or every entry when the
      -- caller holds nothing, holds a version of another lineage, or is further behind than the log
      -- reaches.
      --
      -- KEYS[1]  entries hash          tollgate:{<gw>}:config:entries
      -- KEYS[2]  log stream            tollgate:{<gw>}:config:log
      -- KEYS[3]  version key           tollgate:{<gw>}:config:version
      -- KEYS[4]  leader epoch key      tollgate:{<gw>}:config:fence
      -- KEYS[5]  lineage key           tollgate:{<gw>}:config:lineage
      -- ARGV[1]  the version the caller holds (integer, 0 = none)
      -- ARGV[2]  the lineage of that version ('' = none)
      -- Returns  {version}                                   nothing newer (0: no configuration; a
      --                                                       version below the caller's: an older one,
      --                                                       which the caller must not apply)
      --          {version, epoch, lineage, 'diff', field, json, ...}   the entries changed since the
      --                                                       caller's version; json '' = deleted
      --          {version, epoch, lineage, 'full', field, json, ...}   every entry
      local held_version = tonumber(ARGV[1])
      local held_lineage = ARGV[2]

      local version = tonumber(redis.call('GET', KEYS[3]) or '0')
      if version == nil then
        return redis.error_reply('config version is not an integer')
      end
      if version == 0 or version <= held_version then
        return {version}
      end
      local epoch = tonumber(redis.call('GET', KEYS[4]) or '0') or 0
      local lineage = redis.call('GET', KEYS[5]) or ''

      local reply = {version, epoch, lineage}
      if held_version > 0 and lineage == held_lineage then
        local first = string.format('%d', held_version + 1) .. '-1'
        local log = redis.call('XRANGE', KEYS[2], first, '+')
        local complete = #log > 0 and log[1][1] == first
        local changed = {}
        for _, item in ipairs(log) do
          local fields = {}
          for i = 1, #item[2], 2 do
            fields[item[2][i]] = item[2][i + 1]
          end
          if fields['mode'] ~= 'diff' then
            complete = false
            break
          end
          for name in string.gmatch(fields['changed'] or '', '[^\\n]+') do
            changed[name] = true
          end
        end
        if complete then
          reply[4] = 'diff'
          for name in pairs(changed) do
            reply[#reply + 1] = name
            reply[#reply + 1] = redis.call('HGET', KEYS[1], name) or ''
          end
          return reply
        end
      end
      reply[4] = 'full'
      local all = redis.call('HGETALL', KEYS[1])
      for i = 1, #all do
        reply[#reply + 1] = all[i]
      end
      return reply
      """;

  /** A gateway pod's report of the version it serves, with an expiry from Redis TIME. */
  public static final String REPORT_APPLIED_VERSION =
      """
      -- A gateway pod reports the config version it serves (and the leader epoch that wrote it), and
      -- the resources of that version it left out because it cannot serve them: fields of the
      -- live-gateways hash, valid until an expiry taken from Redis TIME (pods' clocks differ; the
      -- operator compares with the same Redis clock in live-gateways.lua).
      --
      -- KEYS[1]  live-gateways hash       tollgate:{<gw>}:gateways
      -- ARGV[1]  pod id (hash field; a Kubernetes pod name, so it never contains '#')
      -- ARGV[2]  served version (integer)
      -- ARGV[3]  time to live in ms (gateways: 15000, refreshed every 5 s)
      -- ARGV[4]  the left-out resources, one "<Kind>/<namespace>/<name>\\t<reason>" line each
      --          (RejectionReport, at most about 60 KB); empty when none
      -- ARGV[5]  the leader epoch that wrote the served version (integer; optional)
      -- Writes   field <pod>           = "<served version> <expiry ms>[ <epoch>]"
      --          field <pod>#rejected  = "<served version> <expiry ms>\\n<ARGV[4]>", deleted when empty
      -- Returns  the expiry in epoch ms
      -- The hash expires after the longest TTL any pod reported, so once every gateway of an instance
      -- is gone nothing is left behind even without an operator pruning it.
      local pod = ARGV[1]
      local version = ARGV[2]
      local ttl_ms = tonumber(ARGV[3])
      local rejected = ARGV[4] or ''
      local epoch = ARGV[5] or ''

      local time = redis.call('TIME')
      local expiry_ms = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000) + ttl_ms
      local report = version .. ' ' .. string.format('%.0f', expiry_ms)
      if epoch ~= '' then
        redis.call('HSET', KEYS[1], pod, report .. ' ' .. epoch)
      else
        redis.call('HSET', KEYS[1], pod, report)
      end
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
      --                                   <expiry epoch ms>[ <epoch>]", field <pod>#rejected = the
      --                                   version and expiry, a newline and the left-out resources;
      --                                   report-applied-version.lua)
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
          if version == nil then
            version, expiry_ms = string.match(value, '^(%d+) (%d+) %d+$')
          end
          if version == nil or tonumber(expiry_ms) <= now_ms then
            redis.call('HDEL', KEYS[1], field)
          else
            served[#served + 1] = version
          end
        end
      end
      return {served, rejected}
      """;

  /** How many pods of the instance are live, without changing anything (gateways). */
  public static final String LIVE_GATEWAY_COUNT =
      """
      -- The number of live gateway pods of one instance: the <pod> fields whose expiry is after Redis
      -- TIME (the <pod>#rejected fields are not read: they can be large and add no pod). Read-only,
      -- so gateways may run it; pruning expired reports stays with the operator's live-gateways
      -- script. A gateway divides failureMode: local limits by this count.
      --
      -- KEYS[1]  live-gateways hash       tollgate:{<gw>}:gateways
      --                                   (field <pod> = "<version> <expiry ms>[ <epoch>]")
      -- Returns  the count (integer); malformed values do not count
      local time = redis.call('TIME')
      local now_ms = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)

      local pods = {}
      for _, field in ipairs(redis.call('HKEYS', KEYS[1])) do
        if string.sub(field, -9) ~= '#rejected' then
          pods[#pods + 1] = field
        end
      end
      if #pods == 0 then
        return 0
      end
      local live = 0
      for _, report in ipairs(redis.call('HMGET', KEYS[1], unpack(pods))) do
        if report then
          local expiry_ms = string.match(report, '^%d+ (%d+)$')
            or string.match(report, '^%d+ (%d+) %d+$')
          if expiry_ms and tonumber(expiry_ms) > now_ms then
            live = live + 1
          end
        end
      end
      return live
      """;

  private ConfigScripts() {}
}
