-- clock-fixed.lua: TEST-ONLY clock of the limiter script. It takes the time, in microseconds
-- since the epoch, from ARGV[1], so tests can replay exact request/time sequences against Redis
-- and the in-process twins. It lives in src/test/resources and is not in the shipped jar; the
-- production clock (clock-redis.lua) ignores ARGV[1] and reads TIME.
local function now_us(clock_argument)
  return tonumber(clock_argument)
end
