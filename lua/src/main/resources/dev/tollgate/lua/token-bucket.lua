-- token-bucket.lua: a bucket of `burst` tokens refilled at `requests` per `period_us`.
--
-- KEYS[i]  hash of the limit's state, fields:
--            w  whole tokens in the bucket
--            f  the fraction of the next token, in 1/p tokens (so 5 per minute refills exactly,
--               no floor to 0), below p
--            p  the period_us the fraction is counted in (a period edit keeps the whole tokens)
--            u  time of the last update, microseconds since the epoch
--          (An earlier layout kept the level as one number in fields l, s, t; it overflowed 2^53
--          for large limits. Its fields are not read, so a key written by an older gateway counts
--          as a full bucket once: lenient, never stricter.)
-- ARGV     per limit: requests (count), period_us (microseconds), burst (tokens), cost (tokens)
-- Returns  per limit: allowed, remaining tokens, reset_us (until full), retry_us (until this
--          request would be admitted; 0 when allowed)
-- TTL      the time until the bucket is full again: a missing key means a full bucket.
-- Edits    tokens carry over; a lowered burst clamps them; a raised burst adds none (refill
--          fills it at the new rate); a changed period keeps the whole tokens.
-- Exact    refill time is at most 366 days (burst x period <= requests x 366 d), so every time
--          below is within 366 days; tokens x period and elapsed x requests go through mul_div.
-- Built on first use in a call, so a request pays only for the algorithms it uses.
algorithms['token-bucket'] = function()
  -- Microseconds until `tokens` whole tokens less `frac`/period have refilled:
  -- ceil((tokens * period_us - frac) / requests).
  local function token_bucket_refill_us(p, tokens, frac)
    local quotient, remainder = mul_div(tokens, p.period_us, p.requests)
    return quotient + ceil_div(remainder - frac, p.requests)
  end

  -- The level now: whole tokens, fraction (in 1/period_us tokens) and the update time.
  local function token_bucket_level(key, p, now)
    local fields = redis.call('HMGET', key, 'w', 'f', 'p', 'u')
    if not fields[1] then
      return p.burst, 0, now
    end
    local whole = num(fields[1])
    local frac = num(fields[2])
    local last = num(fields[4])
    if num(fields[3]) ~= p.period_us then
      -- Whole tokens only: the fraction was counted in another period.
      frac = 0
    end
    if now > last then
      -- elapsed x requests / period tokens come back. After an edit to a much higher rate the
      -- quotient can pass 2^53 and lose digits, but then it is far above the burst, which caps it.
      local gained, rest = mul_div(now - last, p.requests, p.period_us)
      frac = frac + rest
      if frac >= p.period_us then
        gained, frac = gained + 1, frac - p.period_us
      end
      whole = whole + gained
      last = now
    end
    if whole >= p.burst then
      return p.burst, 0, last
    end
    return whole, frac, last
  end

  -- refill_us: until this state is full again (its TTL)
  local function token_bucket_store(key, p, whole, frac, last, refill_us)
    redis.call('HSET', key, 'w', int(whole), 'f', int(frac), 'p', int(p.period_us), 'u', int(last))
    expire_after_us(key, last, refill_us)
  end

  return {
    evaluate = function(key, p, now)
      local whole, frac, last = token_bucket_level(key, p, now)
      -- whole + frac/period >= cost exactly when whole >= cost (the fraction is below 1).
      if whole >= p.cost then
        local left = whole - p.cost
        local reset_us = token_bucket_refill_us(p, p.burst - left, frac)
        return admitted(left, reset_us,
          function()
            token_bucket_store(key, p, left, frac, last, reset_us)
          end,
          function()
            return whole, token_bucket_refill_us(p, p.burst - whole, frac)
          end)
      end
      local retry_us = p.period_us
      if p.cost <= p.burst then
        retry_us = token_bucket_refill_us(p, p.cost - whole, frac)
      end
      return outcome(false, whole, token_bucket_refill_us(p, p.burst - whole, frac), retry_us)
    end,
    refund = function(key, p, now)
      local whole, frac, last = token_bucket_level(key, p, now)
      whole = whole + p.cost
      if whole >= p.burst then
        whole, frac = p.burst, 0
      end
      token_bucket_store(key, p, whole, frac, last, token_bucket_refill_us(p, p.burst - whole, frac))
    end
  }
end
