-- fixed-window.lua: at most `requests` per window of period_us, windows aligned to the epoch;
-- or per calendar window (day, week, month in a time zone) when the caller passes its boundaries.
--
-- KEYS[i]  hash of the limit's state, fields:
--            e  end of the current window, microseconds since the epoch
--            n  requests counted in it
-- ARGV     per limit: requests (count), period_us (microseconds; for a calendar window the length
--          of the caller's current window), burst (unused), cost, and for a calendar window its
--          boundaries (microseconds since the epoch, computed by the caller from the tz data around
--          its own clock): start of the previous window, start, end, end of the next window. The
--          window is the one of them containing now (Redis TIME), so a caller's clock may differ
--          from Redis' by up to a window; beyond that the request fails.
-- Returns  per limit: allowed, remaining, reset_us (until the window ends), retry_us (until the
--          next window, when this request fits there; 0 when allowed)
-- TTL      until the window ends: after that the count is irrelevant.
-- Edits    the count carries over; a raised limit is usable at once, a lowered one rejects until
--          the window ends; a changed period applies from the next window (the current one keeps
--          its end, so an edit cannot reset the count and let a client spend a window twice).
-- Built on first use in a call, so a request pays only for the algorithms it uses.
algorithms['fixed-window'] = function()
  -- End of the window containing now: the next epoch-aligned multiple of the period, or the first
  -- calendar boundary after now.
  local function fixed_window_end(p, now)
    local bounds = p.bounds
    if not bounds then
      return now - now % p.period_us + p.period_us
    end
    if now >= bounds[1] then
      for i = 2, #bounds do
        if now < bounds[i] then
          return bounds[i]
        end
      end
    end
    error({err = 'ERR tollgate: Redis time ' .. int(now) .. ' is outside the calendar windows '
      .. int(bounds[1]) .. '..' .. int(bounds[#bounds]) .. ' (clock skew over a window)'})
  end

  local function fixed_window_state(key, p, now)
    local fields = redis.call('HMGET', key, 'e', 'n')
    if fields[1] and now < num(fields[1]) then
      return num(fields[1]), num(fields[2])
    end
    return fixed_window_end(p, now), 0
  end

  return {
    evaluate = function(key, p, now)
      local window_end, count = fixed_window_state(key, p, now)
      local reset_us = window_end - now
      if count + p.cost <= p.requests then
        return admitted(p.requests - count - p.cost, reset_us,
          function()
            redis.call('HSET', key, 'e', int(window_end), 'n', int(count + p.cost))
            expire_after_us(key, now, reset_us)
          end,
          function()
            return p.requests - count, reset_us
          end)
      end
      local retry_us = reset_us
      if p.cost > p.requests then
        retry_us = p.period_us
      end
      return outcome(false, p.requests - count, reset_us, retry_us)
    end,
    refund = function(key, p, now)
      local _, count = fixed_window_state(key, p, now)
      if count > p.cost then
        redis.call('HSET', key, 'n', int(count - p.cost))
      elseif count > 0 then
        -- Nothing counted any more: the same as no key (consume never leaves a count of 0).
        redis.call('DEL', key)
      end
    end
  }
end
