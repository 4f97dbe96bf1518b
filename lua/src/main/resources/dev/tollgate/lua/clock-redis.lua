-- clock-redis.lua: the production clock of the limiter script.
--
-- Time comes from the Redis server's TIME, never from a gateway pod (pods' clocks differ by
-- more than a short limit's period). Redis 7 replicates script effects, so calling TIME before
-- writing is allowed. The argument ARGV[1] is ignored here: only the test-only clock fragment
-- (src/test/resources, not shipped in the jar) reads it, so production callers cannot set time.
--
-- Returns: microseconds since the epoch as an integral Lua number (exact below 2^53).
local function now_us(_ignored)
  local time = redis.call('TIME')
  return tonumber(time[1]) * 1000000 + tonumber(time[2])
end
