-- The seed's status-code function (plugins/status_codes.lua) rewritten for a Lambda *proxy* integration.
--
-- Behind AWS_PROXY a function receives the proxy event (reference/lambda-payloads.md §1): the client's JSON
-- is the string event.body, not the event itself, and the function must answer with a proxy response
-- {statusCode, headers, body} (§2). So this variant reads "error" from the body and wraps its answers;
-- for "sample 400" and "sample 500" it raises the same error objects as the original, which a proxy
-- integration turns into 502 {"message": "Internal server error"} whatever the errorMessage says.

local function raise(status)
  error({
    errorMessage = "Error: Raising " .. status .. " from within the Lambda function",
    errorType = "Exception",
  })
end

local function answer(text)
  return { statusCode = 200, headers = { ["Content-Type"] = "text/plain" }, body = text }
end

gateway.lambda("status-codes-proxy", function(event, context)
  local ok, request = pcall(json.decode, type(event.body) == "string" and event.body or "")
  local value = nil
  if ok and type(request) == "table" and request ~= json.null then value = request.error end
  if value == nil or value == "" or value == json.null then
    return answer("Pass")
  elseif value == "sample 400" then
    raise(400)
  elseif value == "sample 500" then
    raise(500)
  else
    return answer("Error Value in the json request should either be 400 or 500 to demonstrate")
  end
end)
