-- Argo CD health of a Tollgate Route or RateLimitPolicy, read from the status the operator writes
-- (docs/gitops.md). Argo CD runs it with the resource as `obj` and reads the returned table.
--   Healthy      Accepted=True and Programmed=True for the current generation
--   Degraded     Accepted=False (the spec or a reference is wrong: the reason says which),
--                Accepted=Unknown (the operator failed on it), or Programmed=False because
--                the config cannot be written to Redis or a gateway refused it
--   Progressing  no status yet, a status of an older generation, or not yet in a config
--                version that the gateways serve
local hs = {status = "Progressing", message = "Waiting for the Tollgate operator"}
if obj.status == nil or obj.status.conditions == nil then
  return hs
end
local generation = obj.metadata.generation
local observed = obj.status.observedGeneration
if generation ~= nil and (observed == nil or observed < generation) then
  hs.message = "Waiting for the Tollgate operator to observe generation " .. generation
  return hs
end
local accepted = nil
local programmed = nil
for _, condition in ipairs(obj.status.conditions) do
  if condition.type == "Accepted" then
    accepted = condition
  elseif condition.type == "Programmed" then
    programmed = condition
  end
end
local function describe(condition)
  return condition.type .. "=" .. condition.status .. " " .. (condition.reason or "") .. ": "
    .. (condition.message or "")
end
if accepted ~= nil and accepted.status ~= "True" then
  hs.message = describe(accepted)
  if accepted.status == "False" or accepted.reason == "ReconcileError" then
    hs.status = "Degraded"
  end
  return hs
end
if programmed ~= nil and programmed.status ~= "True" then
  hs.message = describe(programmed)
  if programmed.reason == "WriteFailed" or programmed.reason == "RefusedByGateway"
      or programmed.reason == "ReconcileError" then
    hs.status = "Degraded"
  end
  return hs
end
if accepted ~= nil and programmed ~= nil then
  hs.status = "Healthy"
  hs.message = programmed.message
end
return hs
