-- Lambda functions that fail on purpose, for the Lua error-cases session (sessions/commands/lua-errors.gwsh).
-- A plugin's failure becomes what Lambda would report (PRODUCT.md), never a crash of the shell:
--   forever  loops without end: Lua runs out of instructions, which is the function timing out after its
--            configured timeout (here 2 s; Lambda's default is 3 s)
--   boom     fails with error("boom"): a function error with errorMessage "boom" and errorType "Error"
--   fine     answers 200, to show that the shell and the Lua state still work afterwards

gateway.lambda("forever", function(event, context)
  local n = 0
  while true do n = n + 1 end
end, { timeout = 2 })

gateway.lambda("boom", function(event, context)
  error("boom")
end)

gateway.lambda("fine", function(event, context)
  return { statusCode = 200, body = json.encode({ ok = true }) }
end)
