-- Runs an Argo CD health check as Argo CD does: the resource (JSON on stdin) as the global `obj`,
-- the script's returned table printed as "<status>\t<message>".
-- Usage: lua5.1 run-health-check.lua HEALTH_CHECK.lua < resource.json
local cjson = require("cjson")
-- JSON null decodes to cjson.null; Argo CD's converter gives nil for it.
cjson.decode_max_depth(64)
local function strip_nulls(value)
  if type(value) ~= "table" then
    return value
  end
  for key, item in pairs(value) do
    if item == cjson.null then
      value[key] = nil
    else
      value[key] = strip_nulls(item)
    end
  end
  return value
end
obj = strip_nulls(cjson.decode(io.read("*a")))
local hs = dofile(arg[1])
io.write(hs.status, "\t", hs.message or "", "\n")
