-- sliding-window.lua: sliding-window counter. The estimate is the current window's count plus
-- the previous window's count weighted by how much of the previous window still overlaps the
-- sliding period: estimate = previous * (period - elapsed) / period + current.
--
-- KEYS[i]  hash of the limit's state, fields:
--            w  start of the current window, microseconds since the epoch
--            c  requests counted in the current window
--            q  requests counted in the previous window
-- ARGV     per limit: requests (count), period_us (microseconds), burst (unused), cost
-- Returns  per limit: allowed, remaining, reset_us (until the estimate is zero), retry_us (until
--          the estimate leaves room for this request; 0 when allowed)
-- TTL      until the end of the window after the current one: then both counts are irrelevant.
-- Error    the weighting assumes the previous window's requests were spread evenly; any sliding
--          period can therefore see up to (2 x requests - 1) admissions at worst, exactly
--          `requests` when traffic is even. A burst inside one window is counted exactly.
-- Exact    counts are compared with the weighted previous count rounded up, never with the
--          products count x period_us (up to 3.2e22).
-- Edits    counts carry over; a raised limit is usable at once, a lowered one rejects until the
--          estimate falls below it; a changed period keeps the current window's start.
-- Built on first use in a call, so a request pays only for the algorithms it uses.
algorithms['sliding-window'] = function()
  local function sliding_window_state(key, p, now)
    local fields = redis.call('HMGET', key, 'w', 'c', 'q')
    local period = p.period_us
    if not fields[1] then
      return now - now % period, 0, 0
    end
    local start = num(fields[1])
    local current = num(fields[2])
    local previous = num(fields[3])
    if now >= start + 2 * period then
      return now - now % period, 0, 0
    elseif now >= start + period then
      return start + period, 0, current
    end
    return start, current, previous
  end

  -- Both counts are irrelevant once the window after the current one has ended.
  local function sliding_window_reset_us(p, now, start, current, previous)
    if current > 0 then
      return start + 2 * p.period_us - now
    elseif previous > 0 then
      return start + p.period_us - now
    end
    return 0
  end

  local function sliding_window_store(key, p, now, start, current, previous)
    redis.call('HSET', key, 'w', int(start), 'c', int(current), 'q', int(previous))
    expire_after_us(key, now, sliding_window_reset_us(p, now, start, current, previous))
  end

  -- Earliest time, relative to now, at which the estimate leaves room for `cost` more requests.
  -- Called only when the request was rejected, which bounds both quotients below the period: with
  -- room >= 0, previous x (period - elapsed) / period > room, so room < previous; otherwise the
  -- next window admits at once when requests - cost >= current.
  local function sliding_window_retry_us(p, now, start, current, previous)
    local period = p.period_us
    local room = p.requests - current - p.cost
    if room >= 0 then
      return start + period - mul_div(room, period, previous) - now
    end
    if p.requests - p.cost >= current then
      return start + period - now
    end
    local next_elapsed = period - mul_div(p.requests - p.cost, period, current)
    return start + period + next_elapsed - now
  end

  -- The previous window's count weighted by its overlap with the sliding period, rounded up:
  -- ceil(previous x (period - elapsed) / period). Counts compared with it decide exactly as
  -- previous x (period - elapsed) + count x period compared with requests x period would, without
  -- forming those products (up to 3.2e22).
  local function sliding_window_weighted(p, now, start, previous)
    local weighted, remainder = mul_div(previous, p.period_us - (now - start), p.period_us)
    if remainder > 0 then
      return weighted + 1
    end
    return weighted
  end

  return {
    evaluate = function(key, p, now)
      local start, current, previous = sliding_window_state(key, p, now)
      local weighted = sliding_window_weighted(p, now, start, previous)
      if weighted + current + p.cost <= p.requests then
        local used = current + p.cost
        return admitted(p.requests - weighted - used,
          sliding_window_reset_us(p, now, start, used, previous),
          function()
            sliding_window_store(key, p, now, start, used, previous)
          end,
          function()
            return p.requests - weighted - current,
              sliding_window_reset_us(p, now, start, current, previous)
          end)
      end
      local retry_us = p.period_us
      if p.cost <= p.requests then
        retry_us = sliding_window_retry_us(p, now, start, current, previous)
      end
      return outcome(false, p.requests - weighted - current,
        sliding_window_reset_us(p, now, start, current, previous), retry_us)
    end,
    refund = function(key, p, now)
      local start, current, previous = sliding_window_state(key, p, now)
      local from_current = math.min(current, p.cost)
      local from_previous = math.min(previous, p.cost - from_current)
      if from_current + from_previous > 0 then
        sliding_window_store(key, p, now, start, current - from_current, previous - from_previous)
      end
    end
  }
end
