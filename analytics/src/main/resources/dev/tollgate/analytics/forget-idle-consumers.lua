-- Removes the consumers of pods that are gone from the access stream's group. A consumer is
-- removed only when it holds no pending entry and has been idle for at least ARGV[2] ms, checked
-- and removed in one atomic step: XGROUP DELCONSUMER drops a consumer's pending entries with it,
-- so a consumer that took entries between a check and a removal would lose them. A replica that
-- is only quiet loses nothing either: its next XREADGROUP creates its consumer again.
--
-- KEYS[1]  the access stream
-- ARGV[1]  consumer group
-- ARGV[2]  least idle time, ms
-- Returns the names of the consumers removed.

local stream = KEYS[1]
local group = ARGV[1]
local min_idle = tonumber(ARGV[2])
local removed = {}
for _, consumer in ipairs(redis.call('XINFO', 'CONSUMERS', stream, group)) do
  local fields = {}
  for i = 1, #consumer, 2 do
    fields[consumer[i]] = consumer[i + 1]
  end
  if fields['pending'] == 0 and fields['idle'] >= min_idle then
    redis.call('XGROUP', 'DELCONSUMER', stream, group, fields['name'])
    removed[#removed + 1] = fields['name']
  end
end
return removed
