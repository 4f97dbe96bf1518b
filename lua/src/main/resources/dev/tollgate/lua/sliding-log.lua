-- sliding-log.lua: exact sliding window; one sorted-set entry per admitted request unit.
--
-- KEYS[i]  sorted set of the limit's log: score = admission time in microseconds since the
--          epoch, member = "<nonce>:<limit index>:<unit>" (unique per request, so a cross-slot
--          refund can remove exactly what this request added)
-- ARGV     per limit: requests (count), period_us (microseconds), burst (unused), cost
-- Returns  per limit: allowed, remaining, reset_us (until the newest entry leaves the period),
--          retry_us (until enough old entries leave for this request; 0 when allowed)
-- TTL      period_us after the newest entry: then every entry is outside the period.
-- Memory   at most `requests` entries live in a period (LimitDefinition caps requests for it).
-- Edits    the log carries over; a raised limit is usable at once, a lowered one rejects until
--          enough entries age out; a changed period applies at once to which entries count.
-- Built on first use in a call, so a request pays only for the algorithms it uses.
algorithms['sliding-log'] = function()
  local function sliding_log_members(p)
    local members = {}
    local prefix = p.nonce .. ':' .. p.index .. ':'
    for unit = 1, p.cost do
      members[unit] = prefix .. unit
    end
    return members
  end

  -- unpack() has a stack limit of a few thousand values, so large costs go in chunks.
  local function sliding_log_each_chunk(items, action)
    local chunk = 1000
    for first = 1, #items, chunk do
      action(unpack(items, first, math.min(first + chunk - 1, #items)))
    end
  end

  return {
    evaluate = function(key, p, now)
      local horizon = '(' .. int(now - p.period_us)
      local count = redis.call('ZCOUNT', key, horizon, '+inf')
      local function idle_reset_us()
        if count == 0 then
          return 0
        end
        local newest = redis.call('ZRANGE', key, -1, -1, 'WITHSCORES')
        return num(newest[2]) + p.period_us - now
      end
      if count + p.cost <= p.requests then
        return admitted(p.requests - count - p.cost, p.period_us,
          function()
            redis.call('ZREMRANGEBYSCORE', key, '-inf', int(now - p.period_us))
            local scored = {}
            for _, member in ipairs(sliding_log_members(p)) do
              scored[#scored + 1] = int(now)
              scored[#scored + 1] = member
            end
            sliding_log_each_chunk(scored, function(...)
              redis.call('ZADD', key, ...)
            end)
            expire_after_us(key, now, p.period_us)
          end,
          function()
            return p.requests - count, idle_reset_us()
          end)
      end
      local retry_us = p.period_us
      if p.cost <= p.requests then
        local oldest_needed = redis.call('ZRANGEBYSCORE', key, horizon, '+inf', 'WITHSCORES',
          'LIMIT', int(count + p.cost - p.requests - 1), '1')
        retry_us = num(oldest_needed[2]) + p.period_us - now
      end
      return outcome(false, p.requests - count, idle_reset_us(), retry_us)
    end,
    refund = function(key, p, now)
      sliding_log_each_chunk(sliding_log_members(p), function(...)
        redis.call('ZREM', key, ...)
      end)
      -- The refunded entries may have been the newest: the TTL follows the newest left.
      local newest = redis.call('ZRANGE', key, -1, -1, 'WITHSCORES')
      if newest[2] then
        expire_after_us(key, now, num(newest[2]) + p.period_us - now)
      end
    end
  }
end
