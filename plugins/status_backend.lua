-- An HTTP backend for the REST status-code lesson: GET /status/NNN answers status NNN with a small JSON body,
-- like httpbin.org/status/NNN. HTTP integrations call it by host: uri: http://status.internal/status/{code}.
gateway.backend("status.internal", function(request)
  local code = tonumber(request.path:match("^/status/(%d%d%d)$"))
  if code == nil or code < 100 or code > 599 then
    return { status = 404, headers = { ["Content-Type"] = "application/json" }, body = { message = "no such status: " .. request.path } }
  end
  return { status = code, headers = { ["Content-Type"] = "application/json" }, body = { status = code } }
end)
