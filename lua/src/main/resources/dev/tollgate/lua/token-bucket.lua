-- token-bucket.lua: a bucket of `burst` tokens refilled at `requests` per `period_us`.
--
-- KEYS[i]  hash of the limit's state, fields:
--            l  level in 1/period_us token units (so 5 per minute refills exactly, no floor to 0)
--            s  the period_us the level is scaled by (a period edit keeps the whole tokens)
--            t  time of the last update, microseconds since the epoch
-- ARGV     per limit: requests (count), period_us (microseconds), burst (tokens), cost (tokens)
-- Returns  per limit: allowed, remaining tokens, reset_us (until full), retry_us (until this
--          request would be admitted; 0 when allowed)
-- TTL      the time until the bucket is full again: a missing key means a full bucket.
-- Edits    tokens carry over; a lowered burst clamps them; a raised burst adds none (refill
--          fills it at the new rate); a changed period keeps the whole tokens.
-- Built on first use in a call, so a request pays only for the algorithms it uses.
algorithms['token-bucket'] = function()
  local function token_bucket_level(key, p, now)
    local cap = p.burst * p.period_us
    local fields = redis.call('HMGET', key, 'l', 's', 't')
    if not fields[1] then
      return cap, now
    end
    local level = tonumber(fields[1])
    local scale = tonumber(fields[2])
    local last = tonumber(fields[3])
    if scale ~= p.period_us then
      -- Whole tokens, at most the burst (more would be clamped anyway), so the product stays exact.
      level = math.min(math.floor(level / scale), p.burst) * p.period_us
    end
    if now > last then
      local deficit = cap - level
      local elapsed = now - last
      if deficit <= 0 or elapsed >= ceil_div(deficit, p.requests) then
        level = cap
      else
        level = level + elapsed * p.requests
      end
      last = now
    end
    return math.min(level, cap), last
  end

  local function token_bucket_store(key, p, level, last)
    local cap = p.burst * p.period_us
    redis.call('HSET', key, 'l', int(level), 's', int(p.period_us), 't', int(last))
    expire_after_us(key, last, ceil_div(cap - level, p.requests))
  end

  return {
    evaluate = function(key, p, now)
      local cap = p.burst * p.period_us
      local level, last = token_bucket_level(key, p, now)
      local need = p.cost * p.period_us
      if level >= need then
        local left = level - need
        return admitted(math.floor(left / p.period_us), ceil_div(cap - left, p.requests),
          function()
            token_bucket_store(key, p, left, last)
          end,
          function()
            return math.floor(level / p.period_us), ceil_div(cap - level, p.requests)
          end)
      end
      local retry_us = p.period_us
      if need <= cap then
        retry_us = ceil_div(need - level, p.requests)
      end
      return outcome(false, math.floor(level / p.period_us), ceil_div(cap - level, p.requests), retry_us)
    end,
    refund = function(key, p, now)
      local level, last = token_bucket_level(key, p, now)
      token_bucket_store(key, p, math.min(level + p.cost * p.period_us, p.burst * p.period_us), last)
    end
  }
end
