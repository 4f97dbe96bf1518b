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
-- Exact    times are mixed numbers: whole microseconds and a fraction in 1/requests, each below
--          2^53. The tolerance burst x T is at most 366 days (burst x period <= requests x 366 d);
--          products of a count and a time go through mul_div.
-- Built on first use in a call, so a request pays only for the algorithms it uses.
algorithms['gcra'] = function()
  local function gcra_tat(key, p, now)
    local fields = redis.call('HMGET', key, 'a', 'f', 'r')
    if not fields[1] then
      return now, 0
    end
    local tat = num(fields[1])
    local frac = num(fields[2])
    if num(fields[3]) ~= p.requests then
      frac = 0
    end
    if tat < now then
      return now, 0
    end
    return tat, frac
  end

  -- count x T as whole microseconds and a fraction in 1/requests: count x period_us / requests.
  local function gcra_times(p, count)
    return mul_div(count, p.period_us, p.requests)
  end

  -- (whole + frac / requests) with the fraction carried into [0, requests).
  local function gcra_normal(p, whole, frac)
    if frac >= p.requests then
      return whole + 1, frac - p.requests
    elseif frac < 0 then
      return whole - 1, frac + p.requests
    end
    return whole, frac
  end

  -- Requests that fit into the time (whole, frac) ahead: floor((whole x requests + frac) /
  -- period_us); 0 when the time is negative (a lowered burst left more debt than tolerance).
  local function gcra_requests_in(p, whole, frac)
    if whole < 0 then
      return 0
    end
    local quotient, remainder = mul_div(whole, p.requests, p.period_us)
    return quotient + floor((remainder + frac) / p.period_us)
  end

  -- Microseconds, rounded up, of the time (whole, frac).
  local function gcra_ceil(whole, frac)
    if frac > 0 then
      return whole + 1
    end
    return whole
  end

  local function gcra_store(key, tat, frac, p, now)
    redis.call('HSET', key, 'a', int(tat), 'f', int(frac), 'r', int(p.requests))
    expire_after_us(key, now, gcra_ceil(tat - now, frac))
  end

  return {
    evaluate = function(key, p, now)
      local tolerance, tolerance_frac = gcra_times(p, p.burst)
      local tat, frac = gcra_tat(key, p, now)
      local step, step_frac = gcra_times(p, p.cost)
      local new_tat, new_frac = gcra_normal(p, tat + step, frac + step_frac)
      -- Debt: how far the TAT is ahead of now, whole microseconds and fraction.
      local debt = new_tat - now
      local current = tat - now
      if debt < tolerance or (debt == tolerance and new_frac <= tolerance_frac) then
        local left, left_frac = gcra_normal(p, tolerance - debt, tolerance_frac - new_frac)
        return admitted(gcra_requests_in(p, left, left_frac), gcra_ceil(debt, new_frac),
          function()
            gcra_store(key, new_tat, new_frac, p, now)
          end,
          function()
            local idle, idle_frac = gcra_normal(p, tolerance - current, tolerance_frac - frac)
            return gcra_requests_in(p, idle, idle_frac), gcra_ceil(current, frac)
          end)
      end
      local retry_us = p.period_us
      if p.cost <= p.burst then
        local over, over_frac = gcra_normal(p, debt - tolerance, new_frac - tolerance_frac)
        retry_us = gcra_ceil(over, over_frac)
      end
      local idle, idle_frac = gcra_normal(p, tolerance - current, tolerance_frac - frac)
      return outcome(false, gcra_requests_in(p, idle, idle_frac), gcra_ceil(current, frac), retry_us)
    end,
    refund = function(key, p, now)
      local tat, frac = gcra_tat(key, p, now)
      local step, step_frac = gcra_times(p, p.cost)
      tat, frac = gcra_normal(p, tat - step, frac - step_frac)
      if tat < now then
        tat, frac = now, 0
      end
      gcra_store(key, tat, frac, p, now)
    end
  }
end
