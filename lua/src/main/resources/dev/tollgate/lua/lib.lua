-- lib.lua: arithmetic shared by every algorithm of the limiter script.
--
-- All figures are integral microseconds or counts held in Lua numbers (doubles), exact below 2^53.
-- LimitDefinition's bounds (docs/limiter.md, "Bounds") keep every figure there: counts up to 1e9,
-- times within 366 days of now. Products of a count and a time do not fit (1e9 requests x a
-- 366-day period is 3.2e22 us), so they go through mul_div, which returns the exact quotient and
-- remainder without forming the product; floor/ceil of a quotient of two integers below 2^53 is
-- exact. Numbers are written to Redis with '%d' because Redis formats a bare Lua number in a way
-- that may switch to exponent notation.

-- Algorithm name -> function building {evaluate, refund}; each algorithm fragment adds one.
local algorithms = {}

-- A local: math.floor is two table lookups per call, and the arithmetic below calls it often.
local floor = math.floor

-- ceil(a / b) for b >= 1 and any integer a (negative too) with |a| + b below 2^53.
local function ceil_div(a, b)
  return floor((a + b - 1) / b)
end

local exact = 9007199254740992 -- 2^53

-- floor(a * b / c) and (a * b) mod c, exactly, for integers a, b >= 0 and 1 <= c < 2^46 whose
-- quotient is below 2^53, although a * b may be far above 2^53 (a larger quotient comes out
-- approximate, still far above any count). Below 2^53 the product is exact (one comparison: the
-- common case). Above, a = qa * c + ra, so a * b / c = qa * b + ra * b / c,
-- and ra * b / c is a long division over base-64 digits of b: each step's remainder r < c keeps
-- r * 64 + ra * digit below 127 * 2^46 < 2^53. A 1e9 b has five digits.
local function mul_div(a, b, c)
  local product = a * b
  if product < exact then
    local quotient = floor(product / c)
    return quotient, product - quotient * c
  end
  local qa = floor(a / c)
  local ra = a - qa * c
  local place = 1
  while place * 64 <= b do
    place = place * 64
  end
  local rest, quotient, remainder = b, 0, 0
  while place >= 1 do
    local digit = floor(rest / place)
    rest = rest - digit * place
    local step = remainder * 64 + ra * digit
    local step_quotient = floor(step / c)
    quotient = quotient * 64 + step_quotient
    remainder = step - step_quotient * c
    place = place / 64
  end
  return qa * b + quotient, remainder
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

-- tonumber parses with strtod, about as costly as a cheap Redis command here, and a batch passes
-- the same few texts again and again (its limits' figures, its one `now` in every state written).
-- Lua strings are interned, so a lookup by string is a pointer hash: each distinct text is parsed
-- once per script call (with the decide loop's reused tables, 17% less Redis time per one-limit
-- decision, benchmarks.md). Anything but a numeral gives nil, as tonumber does.
local parsed = {}
local function num(text)
  local n = parsed[text]
  if n == nil then
    n = tonumber(text)
    if n ~= nil then
      parsed[text] = n
    end
  end
  return n
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
