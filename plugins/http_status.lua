-- The functions of the seed's HTTP API status-code case (reference/lambda-payloads.md §4.3, mapping.md §5.3).
--
-- Behind an HTTP API a Lambda proxy integration reads its answer by the route's payloadFormatVersion:
--   2.0 infers: an answer without statusCode becomes 200, content-type application/json, the answer as the body;
--   1.0 is strict: without {statusCode, headers, body, isBase64Encoded} the client gets 500.

-- A bare string: 2.0 sends it as the body of a 200; 1.0 answers 500.
gateway.lambda("bare-string", function(event, context)
  return "Hello from Lambda!"
end)

-- An object without statusCode: 2.0 sends its JSON as the body of a 200; 1.0 answers 500.
gateway.lambda("no-status-code", function(event, context)
  return { message = "Hello from Lambda!", version = event.version }
end)

-- The strict format: both payload versions pass its status, headers and body through.
gateway.lambda("strict", function(event, context)
  return {
    statusCode = 201,
    headers = { ["content-type"] = "application/json" },
    body = json.encode({ created = true }),
    isBase64Encoded = false,
  }
end)

-- A legacy service that answers 500 for an item it does not have (and 200 for the ones it has). The route maps
-- its 500 to 404 with responseParameters {"500": {"overwrite:statuscode": "404"}}.
local items = { ["1"] = "keyboard", ["2"] = "mouse" }
gateway.lambda("legacy-items", function(event, context)
  local id = event.pathParameters and event.pathParameters.id or ""
  if items[id] then
    return { statusCode = 200, headers = { ["content-type"] = "application/json" }, body = json.encode({ id = id, name = items[id] }) }
  end
  return { statusCode = 500, headers = { ["content-type"] = "application/json" }, body = json.encode({ error = "no item " .. id }) }
end)
