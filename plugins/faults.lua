-- Fault injection with stage hooks (issue 11: gateway.on). Each hook sees the exchange as a table and returns
-- nil (go on), or a table: latencyMillis (virtual time added), set (paths the shell's `set` knows), response
-- (answer instead of the rest of the pipeline), fail (a gateway response type such as THROTTLED).
-- The request header X-Fault chooses the fault, so one session can show them all; `plugin disable faults.lua`
-- switches every hook of this file off.

gateway.on("before:integration", function(x)
  local fault = x.request.headers["X-Fault"]
  if fault == "slow" then return { latencyMillis = 2500 } end
  if fault == "throttle" then return { fail = "THROTTLED" } end
  if fault == "backend-500" then
    return { response = { status = 500, headers = { ["Content-Type"] = "application/json" }, body = { message = "injected backend failure" } } }
  end
  return nil
end)

-- After the integration: pretend the backend answered 404 (selection patterns then see "404").
gateway.on("after:integration", function(x)
  if x.request.headers["X-Fault"] == "not-found" then return { set = { ["integration.status"] = "404" } } end
end)

-- Observe only: print what reached the method request (the line shows in the trace).
gateway.on("before:method-request", function(x)
  if x.request.headers["X-Fault"] ~= nil then print("fault requested: " .. x.request.headers["X-Fault"]) end
end)

-- A broken hook is noted in the trace and ignored.
gateway.on("after:route", function(x)
  if x.request.headers["X-Fault"] == "broken-hook" then error("this hook is broken") end
end)
