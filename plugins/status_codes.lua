-- The seed's example Lambda for REST API status codes (reference/mapping.md §3.3), ported from Python.
-- It answers "Pass", or fails with an error object whose errorMessage an integration response's
-- "Lambda error regex" (selectionPattern), such as .*Raising 400.*, selects.
--
-- The Python original raises Exception({...}), so on AWS its errorMessage is Python's text of that dict.
-- Here the table is the error object itself, the clean form (PRODUCT.md); the same patterns select it.

local function raise(status)
  error({
    errorMessage = "Error: Raising " .. status .. " from within the Lambda function",
    errorType = "Exception",
  })
end

gateway.lambda("status-codes", function(event, context)
  local value = type(event) == "table" and event.error or nil
  if value == nil or value == "" then
    return "Pass"
  elseif value == "sample 400" then
    raise(400)
  elseif value == "sample 500" then
    raise(500)
  else
    return "Error Value in the json request should either be 400 or 500 to demonstrate"
  end
end)
