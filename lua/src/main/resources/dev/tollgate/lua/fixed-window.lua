-- fixed-window.lua: at most `requests` per window of period_us, windows aligned to the epoch.
--
-- KEYS[i]  hash of the limit's state, fields:
--            e  end of the current window, microseconds since the epoch
--            n  requests counted in it
-- ARGV     per limit: requests (count), period_us (microseconds), burst (unused), cost
-- Returns  per limit: allowed, remaining, reset_us (until the window ends), retry_us (until the
--          next window, when this request fits there; 0 when allowed)
-- TTL      until the window ends: after that the count is irrelevant.
-- Edits    the count carries over; a raised limit is usable at once, a lowered one rejects until
--          the window ends; a changed period applies from the next window (the current one keeps
--          its end, so an edit cannot reset the count and let a client spend a window twice).
-- Built on first use in a call, so a request pays only for the algorithms it uses.
algorithms['fixed-window'] = function()
  local function fixed_window_state(key, p, now)
    local fields = redis.call('HMGET', key, 'e', 'n')
    if fields[1] and now < tonumber(fields[1]) then
      return tonumber(fields[1]), tonumber(fields[2])
    end
    return now - now % p.period_us + p.period_us, 0
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
