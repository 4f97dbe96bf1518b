-- decide.lua: decides a batch of requests, each atomically over all its limits (that live in one
-- cluster slot), in one script call.
--
-- The script Redis runs is clock + lib + the five algorithm fragments + this file, composed by
-- LimiterScript. The requests of a batch are independent: they are decided one after another, in
-- order, each seeing what the ones before it wrote, exactly as if each had been its own call (the
-- script runs atomically, so nothing else interleaves). Within a request, each limit is evaluated
-- without writing; only if every limit admits the request are their new states written, so a
-- request rejected by any limit consumes from none of them. Every request is read and checked
-- before any is decided, so a malformed batch fails as a whole and writes nothing.
--
-- KEYS          the state keys of every limit of every request, in request order (built by
--               RedisKeys; on a cluster all of one batch share one slot)
-- ARGV[1]       clock argument: ignored by the production clock (time comes from TIME, read once
--               per batch, so all requests of a batch are decided at the same time)
-- ARGV[2 ..]    per request, 3 values and then 6 or more per limit:
--                 operation: 'consume' decides; 'refund' gives back what an earlier 'consume'
--                   with the same nonce took (used when a later cluster slot rejected the request)
--                 nonce: unique per request (sliding-log members; refund finds them by it)
--                 n: number of limits (count >= 1); they take the next n KEYS
--                 per limit: algorithm name, requests (count), period_us (microseconds),
--                   burst (count; token-bucket and gcra), cost (count >= 1; limits of one request
--                   may cost differently), k (count of calendar boundaries; 0 for a rolling
--                   period), then k boundaries (microseconds since the epoch; fixed-window.lua)
-- Returns       per request, per limit, four integers, all in one flat array: allowed (1/0),
--               remaining (count), reset_us, retry_us (microseconds; retry_us is 0 when allowed);
--               a request that failed answers allowed = -1 and the error text instead.
--               consume: when any limit of the request rejects, its other limits report remaining
--               and reset_us as they stand (nothing was consumed). refund: allowed = 1 and the
--               figures as they stand after the refund.
-- TTL           every key written gets the TTL its algorithm documents; a rejected request
--               writes nothing, so the keys keep the TTLs set when they were last written.
local clock_argument = ARGV[1]
local now = now_us(clock_argument)

-- Algorithm instances are built once per batch and shared by its requests.
local built = {}

-- First pass: the whole batch is checked before anything is decided, so a malformed batch fails
-- as a whole and writes nothing. It only reads; the second pass parses again as it decides, so
-- no request costs tables of its own (in Redis's Lua a table of nine fields costs about half of
-- an HMGET, benchmarks.md "limiter-allocation").
local at = 2
local limit_count = 0
while at <= #ARGV do
  local operation = ARGV[at]
  local count = num(ARGV[at + 2])
  if (operation ~= 'consume' and operation ~= 'refund') or not count or count < 1 then
    return redis.error_reply('ERR tollgate: malformed request at ARGV[' .. at .. ']')
  end
  at = at + 3
  for _ = 1, count do
    local algorithm_name = ARGV[at]
    local bound_count = num(ARGV[at + 5])
    if not bound_count then
      return redis.error_reply('ERR tollgate: malformed limit at ARGV[' .. at .. ']')
    end
    local build = algorithms[algorithm_name]
    if not build then
      return redis.error_reply('ERR tollgate: unknown algorithm ' .. tostring(algorithm_name))
    end
    if not built[algorithm_name] then
      built[algorithm_name] = build()
    end
    at = at + 6 + bound_count
    limit_count = limit_count + 1
  end
end
if limit_count ~= #KEYS then
  return redis.error_reply('ERR tollgate: ' .. #KEYS .. ' keys for ' .. limit_count .. ' limits')
end

-- The i-th limit of the request being decided. The tables are reused from request to request:
-- what an algorithm keeps of one (its commit and idle closures) is used before the next begins.
local slots = {}
local results = {}

-- Reads the request's `count` limits starting at ARGV[from] and KEYS[first_key] into slots;
-- returns where the next request starts in ARGV.
local function read_limits(from, first_key, count, nonce)
  for i = 1, count do
    local limit = slots[i]
    if not limit then
      limit = {}
      slots[i] = limit
    end
    local bound_count = num(ARGV[from + 5])
    local bounds = nil
    if bound_count > 0 then
      bounds = {}
      for b = 1, bound_count do
        bounds[b] = num(ARGV[from + 5 + b])
      end
    end
    limit.key = KEYS[first_key + i - 1]
    limit.algorithm = built[ARGV[from]]
    limit.requests = num(ARGV[from + 1])
    limit.period_us = num(ARGV[from + 2])
    limit.burst = num(ARGV[from + 3])
    limit.cost = num(ARGV[from + 4])
    limit.bounds = bounds
    -- Only sliding-log needs "<nonce>:<i>"; it builds the string, the others skip the cost.
    limit.nonce = nonce
    limit.index = i
    from = from + 6 + bound_count
  end
  return from
end

local function refund(count, reply)
  for i = 1, count do
    local limit = slots[i]
    limit.algorithm.refund(limit.key, limit, now)
    -- The figures as they now stand: a request costing more than the capacity is evaluated,
    -- which every algorithm rejects without writing.
    limit.cost = math.max(limit.requests, limit.burst) + 1
    local standing = limit.algorithm.evaluate(limit.key, limit, now)
    reply[#reply + 1] = 1
    reply[#reply + 1] = standing.remaining
    reply[#reply + 1] = standing.reset_us
    reply[#reply + 1] = 0
  end
end

local function consume(count, reply)
  local all_admit = true
  for i = 1, count do
    local limit = slots[i]
    local result = limit.algorithm.evaluate(limit.key, limit, now)
    results[i] = result
    all_admit = all_admit and result.allowed
  end
  for i = 1, count do
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
end

-- Decides one request, appending its figures to reply; run under pcall (a failed command raises).
local function decide(operation, count, reply)
  if operation == 'refund' then
    refund(count, reply)
  else
    consume(count, reply)
  end
end

-- Second pass: each request in turn. A request whose Redis command fails (a key of the wrong type,
-- written by something else) fails alone: its limits answer allowed = -1 and the error text, and
-- the other requests of the batch are decided as usual (READONLY excepted: it fails the call). A
-- consume fails while reading, before it writes anything; whatever a failed request appended to
-- the reply is cut off again.
local reply = {}
at = 2
local key_at = 1
while at <= #ARGV do
  local operation = ARGV[at]
  local count = num(ARGV[at + 2])
  local next_at = read_limits(at + 3, key_at, count, ARGV[at + 1])
  local length = #reply
  local decided, failure = pcall(decide, operation, count, reply)
  if not decided then
    local message = type(failure) == 'table' and failure.err or tostring(failure)
    -- A replica refuses every write: this node is not the master any more (a failover, perhaps
    -- behind an address that now names another node). The whole call fails, so the client sees
    -- it once and connects anew; nothing was written, a read-only replica takes no writes.
    if string.sub(message, 1, 8) == 'READONLY' then
      return redis.error_reply(message)
    end
    for i = #reply, length + 1, -1 do
      reply[i] = nil
    end
    for _ = 1, count do
      reply[#reply + 1] = -1
      reply[#reply + 1] = message
      reply[#reply + 1] = 0
      reply[#reply + 1] = 0
    end
  end
  at = next_at
  key_at = key_at + count
end
return reply
