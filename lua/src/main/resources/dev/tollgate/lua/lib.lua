-- lib.lua: arithmetic shared by every algorithm of the limiter script.
--
-- All figures are integral microseconds or counts held in Lua numbers (doubles). LimitDefinition
-- guarantees capacity x period_us <= 2^53, so every product below stays exact; floor/ceil of a
-- quotient of two such integers is exact too. Numbers are written to Redis with '%d' because
-- Redis formats a bare Lua number in a way that may switch to exponent notation.
-- Algorithm name -> function building {evaluate, refund}; each algorithm fragment adds one.
local algorithms = {}

local function ceil_div(a, b)
  return math.floor((a + b - 1) / b)
end

-- string.format costs about as much as a simple Redis command here (about 0.2 us), and a batch
-- writes the same numbers (its one `now`, the periods) again and again: each is formatted once per
-- script call (measured: about 7% less Redis time per one-limit decision).
local formatted = {}
local function int(n)
  local text = formatted[n]
  if not text then
    text = string.format('%d', n)
    formatted[n] = text
  end
  return text
end

-- The key expires `us` after the script's now: its state is irrelevant from then on. The expiry
-- is absolute (PEXPIREAT, milliseconds rounded up) and anchored to the same clock the figures were
-- computed with, so it never comes before the state is irrelevant.
local function expire_after_us(key, now, us)
  if us <= 0 then
    redis.call('DEL', key)
  else
    redis.call('PEXPIREAT', key, int(ceil_div(now + us, 1000)))
  end
end

-- Per-limit figures. Remaining never goes below zero: a lowered limit can leave a count above it.
local function outcome(allowed, remaining, reset_us, retry_us)
  return {allowed = allowed, remaining = math.max(remaining, 0), reset_us = reset_us, retry_us = retry_us}
end

-- A limit that admits: figures after this request, `commit` writes the new state, and `idle`
-- gives remaining and reset_us as they stand without this request (reported when another limit
-- rejects the request, since then nothing is consumed).
local function admitted(remaining, reset_us, commit, idle)
  -- One constructor, not outcome() plus two fields: a table grown after creation is rehashed.
  return {allowed = true, remaining = math.max(remaining, 0), reset_us = reset_us, retry_us = 0,
    commit = commit, idle = idle}
end
