-- Writes a compiled config snapshot, its version and the writer's leader epoch in one atomic
-- step, then announces the version on the gateways' channel.
--
-- Fencing, two layers:
--   * compare-and-set: the write happens only if the stored version is still the one the caller
--     compared its content against (no lost update between read and write);
--   * leader epoch: a caller whose epoch is lower than the stored one is a former leader that
--     was paused past its lease; it is refused even if its read was fresh.
--
-- KEYS[1]  snapshot JSON key        tollgate:<gw>:config
-- KEYS[2]  version key              tollgate:<gw>:config:version (integer, absent = 0)
-- KEYS[3]  leader epoch key         tollgate:<gw>:config:fence   (integer, absent = 0)
-- ARGV[1]  expected current version (integer)
-- ARGV[2]  new version (integer, > ARGV[1]; higher than ARGV[1] + 1 when Redis lost its data and
--          the caller remembers a newer version, so gateways never see the version go back)
-- ARGV[3]  snapshot JSON, already carrying "version": ARGV[2]
-- ARGV[4]  caller's leader epoch (integer, Lease acquireTime in epoch millis)
-- ARGV[5]  pub/sub channel          tollgate:<gw>:config
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
