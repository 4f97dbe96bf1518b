-- decide.lua: decides every limit of one request (that lives in one cluster slot) atomically.
--
-- The script Redis runs is clock + lib + the five algorithm fragments + this file, composed by
-- LimiterScript. Each limit is evaluated without writing; only if every limit admits the request
-- are their new states written, so a request rejected by any limit consumes from none of them.
--
-- KEYS[i]       state key of limit i (built by RedisKeys; all KEYS share one hash tag's slot)
-- ARGV[1]       clock argument: ignored by the production clock (time comes from TIME)
-- ARGV[2]       operation: 'consume' decides; 'refund' gives back what an earlier 'consume' with
--               the same nonce took (used when a later cluster slot rejected the request)
-- ARGV[3]       nonce: unique per request (sliding-log members; refund finds them by it)
-- ARGV[4 + 5(i-1) ..]  limit i: algorithm name, requests (count), period_us (microseconds),
--               burst (count; token-bucket and gcra), cost (count >= 1)
-- Returns       consume: per limit i, four integers: allowed (1/0), remaining (count),
--               reset_us, retry_us (microseconds; retry_us is 0 when allowed). When any limit
--               rejects, the others report remaining and reset_us as they stand (nothing was
--               consumed). refund: the same shape, allowed = 1 and the figures as they stand
--               after the refund.
-- TTL           every key written gets the TTL its algorithm documents; a rejected request
--               writes nothing, so the keys keep the TTLs set when they were last written.
local clock_argument = ARGV[1]
local operation = ARGV[2]
local nonce = ARGV[3]
local fields_per_limit = 5
local now = now_us(clock_argument)

local limits = {}
local built = {}
for i = 1, #KEYS do
  local base = 3 + (i - 1) * fields_per_limit
  local algorithm_name = ARGV[base + 1]
  local requests = tonumber(ARGV[base + 2])
  local period_us = tonumber(ARGV[base + 3])
  local burst = tonumber(ARGV[base + 4])
  local cost = tonumber(ARGV[base + 5])
  local build = algorithms[algorithm_name]
  if not build then
    return redis.error_reply('ERR tollgate: unknown algorithm ' .. tostring(algorithm_name))
  end
  if not built[algorithm_name] then
    built[algorithm_name] = build()
  end
  local algorithm = built[algorithm_name]
  limits[i] = {
    algorithm = algorithm,
    requests = requests,
    period_us = period_us,
    burst = burst,
    cost = cost,
    nonce = nonce .. ':' .. i
  }
end

if operation == 'refund' then
  local reply = {}
  for i = 1, #KEYS do
    local limit = limits[i]
    limit.algorithm.refund(KEYS[i], limit, now)
    -- The figures as they now stand: a request costing more than the capacity is evaluated,
    -- which every algorithm rejects without writing.
    limit.cost = math.max(limit.requests, limit.burst) + 1
    local standing = limit.algorithm.evaluate(KEYS[i], limit, now)
    reply[#reply + 1] = 1
    reply[#reply + 1] = standing.remaining
    reply[#reply + 1] = standing.reset_us
    reply[#reply + 1] = 0
  end
  return reply
end

local results = {}
local all_admit = true
for i = 1, #KEYS do
  results[i] = limits[i].algorithm.evaluate(KEYS[i], limits[i], now)
  all_admit = all_admit and results[i].allowed
end

local reply = {}
for i = 1, #KEYS do
  local result = results[i]
  local remaining, reset_us = result.remaining, result.reset_us
  if all_admit then
    result.commit()
  elseif result.allowed then
    remaining, reset_us = result.idle()
    remaining = math.max(remaining, 0)
  end
  reply[#reply + 1] = result.allowed and 1 or 0
  reply[#reply + 1] = remaining
  reply[#reply + 1] = reset_us
  reply[#reply + 1] = result.retry_us
end
return reply
