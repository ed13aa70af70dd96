-- Lua mappers (issue 11: gateway.mapper): functions named in a model where a mapping template stands,
--   requestTemplates: { application/json: { lua: orders.toBackend } }
-- input = { body = "…", json = <parsed body or json.null>, params = { path, querystring, header },
--           context = <$context as the proxy event's requestContext>, stageVariables = {…} }
-- They return the body: a string as it is, { body = …, status = …, headers = {…} } (status and headers as
-- $context.responseOverride sets them), or any other table as JSON.

-- Reshape a shop order into what the backend wants.
gateway.mapper("orders.toBackend", function(input)
  local order = input.json
  if order == json.null or type(order) ~= "table" then error("the body is not a JSON order") end
  local lines = json.array()
  for _, item in ipairs(order.items or {}) do
    lines[#lines + 1] = { sku = item.sku, qty = item.quantity or 1 }
  end
  return {
    orderRef = "ord-" .. input.params.path.id,
    customer = input.params.header["X-Customer"] or "anonymous",
    lines = lines,
    stage = input.context.stage,
  }
end)

-- Shape the backend's answer, and set the status as $context.responseOverride.status would.
gateway.mapper("orders.fromBackend", function(input)
  local answer = input.json
  if answer.accepted then
    return { status = 201, headers = { Location = "/orders/" .. answer.ref }, body = { id = answer.ref, state = "accepted" } }
  end
  return { status = 409, body = { message = "rejected: " .. (answer.reason or "unknown") } }
end)

-- An HTTP API parameter mapping value: the number of items, as a header for the backend.
gateway.mapper("orders.itemCount", function(input)
  local order = input.json
  if type(order) ~= "table" or order == json.null then return "0" end
  return tostring(#(order.items or {}))
end)
