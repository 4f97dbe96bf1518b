-- gcra.lua: generic cell rate algorithm; one request per emission interval T = period_us /
-- requests, with a tolerance of `burst` requests.
--
-- KEYS[i]  hash of the limit's state, fields:
--            a  theoretical arrival time (TAT), whole microseconds since the epoch
--            f  the TAT's fraction of a microsecond, in 1/r units (T = 60e6/7 is not integral)
--            r  the requests the fraction is counted in (a rate edit drops the fraction)
-- ARGV     per limit: requests (count), period_us (microseconds), burst (requests), cost
-- Returns  per limit: allowed, remaining, reset_us (until TAT = now), retry_us (until this
--          request would be admitted; 0 when allowed)
-- TTL      TAT - now: once the TAT has passed, a missing key means the same as the stored one.
-- Edits    the TAT (debt in time) carries over; a lowered burst lowers the tolerance at once, a
--          raised burst is usable at once; a changed rate spaces only new requests differently.
-- Built on first use in a call, so a request pays only for the algorithms it uses.
algorithms['gcra'] = function()
  local function gcra_tat(key, p, now)
    local fields = redis.call('HMGET', key, 'a', 'f', 'r')
    if not fields[1] then
      return now, 0
    end
    local tat = tonumber(fields[1])
    local frac = tonumber(fields[2])
    if tonumber(fields[3]) ~= p.requests then
      frac = 0
    end
    if tat < now then
      return now, 0
    end
    return tat, frac
  end

  -- (tat + frac/requests) + cost * period_us / requests, carried exactly.
  local function gcra_add(p, tat, frac, sign)
    local step = p.cost * p.period_us
    local whole = sign * math.floor(step / p.requests)
    local part = frac + sign * (step % p.requests)
    if part >= p.requests then
      return tat + whole + 1, part - p.requests
    elseif part < 0 then
      return tat + whole - 1, part + p.requests
    end
    return tat + whole, part
  end

  -- Debt ahead of now in 1/requests microseconds: (tat - now) * requests + frac.
  local function gcra_debt(p, tat, frac, now)
    return (tat - now) * p.requests + frac
  end

  local function gcra_store(key, tat, frac, p, now)
    redis.call('HSET', key, 'a', int(tat), 'f', int(frac), 'r', int(p.requests))
    expire_after_us(key, now, ceil_div(gcra_debt(p, tat, frac, now), p.requests))
  end

  return {
    evaluate = function(key, p, now)
      local tolerance = p.burst * p.period_us
      local tat, frac = gcra_tat(key, p, now)
      local new_tat, new_frac = gcra_add(p, tat, frac, 1)
      local debt = gcra_debt(p, new_tat, new_frac, now)
      local current = gcra_debt(p, tat, frac, now)
      if debt <= tolerance then
        return admitted(math.floor((tolerance - debt) / p.period_us), ceil_div(debt, p.requests),
          function()
            gcra_store(key, new_tat, new_frac, p, now)
          end,
          function()
            return math.floor((tolerance - current) / p.period_us), ceil_div(current, p.requests)
          end)
      end
      local retry_us = p.period_us
      if p.cost <= p.burst then
        retry_us = ceil_div(debt - tolerance, p.requests)
      end
      return outcome(false, math.floor((tolerance - current) / p.period_us),
        ceil_div(current, p.requests), retry_us)
    end,
    refund = function(key, p, now)
      local tat, frac = gcra_tat(key, p, now)
      tat, frac = gcra_add(p, tat, frac, -1)
      if tat < now then
        tat, frac = now, 0
      end
      gcra_store(key, tat, frac, p, now)
    end
  }
end
