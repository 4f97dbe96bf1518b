-- Applies one batch of access-stream entries to the minute buckets and acknowledges the batch, in
-- one atomic step, and only if every entry of the batch is still pending with this consumer. A
-- replica that dies before the step leaves its entries pending (another claims and applies them);
-- one that dies after it has applied and acknowledged them together; one that was only slow finds
-- that another consumer claimed its entries, and writes nothing. Each entry counts exactly once.
--
-- KEYS[1]      the access stream
-- KEYS[2..]    the aggregate keys the ops name by index (all in the stream's hash slot)
-- ARGV[1]      consumer group
-- ARGV[2]      this consumer's name
-- ARGV[3]      most distinct paths in one route-minute path hash (more count as '(other)')
-- ARGV[4]      most members of one limited-clients sorted set (the lowest is dropped beyond)
-- ARGV[5]      n, the number of entry ids
-- ARGV[6..5+n] the batch's entry ids, ascending
-- next #KEYS-1 ARGV: expiry of KEYS[2], KEYS[3], ... in unix seconds
-- then ops of 5 ARGV each: kind, key index (into KEYS), field, amount, amount2
--   'h'  HINCRBY field amount
--   'p'  path counters: HINCRBY 'c:'..field amount and 'e:'..field amount2 (errors); a path not
--        yet in a hash that holds the cap is counted as '(other)'
--   'z'  ZINCRBY amount field, then the lowest members are dropped while over the cap
-- Returns {1} when applied and acknowledged, or {0, {id...}} with the batch's ids that are no
-- longer pending with this consumer; then nothing was written.

local stream = KEYS[1]
local group = ARGV[1]
local consumer = ARGV[2]
local max_paths = tonumber(ARGV[3])
local max_clients = tonumber(ARGV[4])
local n = tonumber(ARGV[5])

local ids = {}
for i = 1, n do
  ids[i] = ARGV[5 + i]
end

-- Entries this consumer owns in the batch's id range; a margin over n covers own entries in the
-- range that are not in this batch (they are then reported missing and retried later, never lost).
local owned = {}
local pending = redis.call('XPENDING', stream, group, ids[1], ids[n], 2 * n + 100, consumer)
for _, entry in ipairs(pending) do
  owned[entry[1]] = true
end
local missing = {}
for i = 1, n do
  if not owned[ids[i]] then
    missing[#missing + 1] = ids[i]
  end
end
if #missing > 0 then
  return {0, missing}
end

local base = 5 + n
-- expiries are ARGV[base+1 .. base+#KEYS-1]; the ops follow them
local first_op = base + #KEYS

for i = first_op, #ARGV, 5 do
  local kind = ARGV[i]
  local key = KEYS[tonumber(ARGV[i + 1])]
  local field = ARGV[i + 2]
  local amount = tonumber(ARGV[i + 3])
  if kind == 'h' then
    redis.call('HINCRBY', key, field, amount)
  elseif kind == 'p' then
    if redis.call('HEXISTS', key, 'c:' .. field) == 0 and redis.call('HLEN', key) >= 2 * max_paths then
      field = '(other)'
    end
    redis.call('HINCRBY', key, 'c:' .. field, amount)
    local errors = tonumber(ARGV[i + 4])
    if errors > 0 then
      redis.call('HINCRBY', key, 'e:' .. field, errors)
    end
  elseif kind == 'z' then
    redis.call('ZINCRBY', key, amount, field)
    local excess = redis.call('ZCARD', key) - max_clients
    if excess > 0 then
      redis.call('ZPOPMIN', key, excess)
    end
  end
end

for k = 2, #KEYS do
  redis.call('EXPIREAT', KEYS[k], ARGV[base + k - 1])
end

-- XACK in slices: unpack() of thousands of ids would exceed Lua's C stack (8000 slots).
for i = 1, n, 1000 do
  local last = math.min(i + 999, n)
  redis.call('XACK', stream, group, unpack(ids, i, last))
end
return {1}
