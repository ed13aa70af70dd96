-- Lambda authorizers for a REST API (reference/policy.md §6, lambda-payloads.md §5.1–5.4).

-- A TOKEN authorizer in the style of the AWS blueprint: the token names who you are. It returns a policy for
-- the one method ARN it was called for — the classic mistake that authorizer caching turns into 403s on the
-- next method (policy.md §6 rule 5).
gateway.lambda("token-auth", function(event, context)
  local token = event.authorizationToken
  if token == "deny" then
    return { principalId = "mallory", policyDocument = { Version = "2012-10-17",
      Statement = { { Effect = "Deny", Action = "execute-api:Invoke", Resource = event.methodArn } } } }
  elseif token == "boom" then
    error("token service is down")
  elseif token ~= "alice" and token ~= "bob" then
    error("Unauthorized")   -- exactly "Unauthorized": the documented way to answer 401
  end
  return {
    principalId = token,
    policyDocument = { Version = "2012-10-17",
      Statement = { { Effect = "Allow", Action = "execute-api:Invoke", Resource = event.methodArn } } },
    context = { user = token, tier = 2, admin = (token == "alice") },
    usageIdentifierKey = "k7Qp2Lx9Vb4Nw8Rt3Yc6Hd1Jm5Sz0Ga2UeF0yrv6",
  }
end)

-- The fix: allow every method of the API and stage, so a cached answer fits the next method too.
gateway.lambda("token-auth-wildcard", function(event, context)
  local base = event.methodArn:match("^(arn:aws:execute%-api:[^:]+:[^:]+:[^/]+/[^/]+)/")
  if event.authorizationToken ~= "alice" then error("Unauthorized") end
  return { principalId = "alice", policyDocument = { Version = "2012-10-17",
    Statement = { { Effect = "Allow", Action = "execute-api:Invoke", Resource = base .. "/*" } } } }
end)

-- A REQUEST authorizer: a header and a query parameter, both identity sources.
gateway.lambda("request-auth", function(event, context)
  local tenant = event.queryStringParameters and event.queryStringParameters.tenant
  local key = event.headers and event.headers["X-Tenant-Key"]
  local effect = (key == "secret-" .. tostring(tenant)) and "Allow" or "Deny"
  return { principalId = tenant, policyDocument = { Version = "2012-10-17",
    Statement = { { Effect = effect, Action = "execute-api:Invoke", Resource = event.methodArn } } },
    context = { tenant = tenant } }
end)

-- What reached the integration: requestContext.authorizer.
gateway.lambda("show-authorizer", function(event, context)
  return { statusCode = 200, headers = { ["Content-Type"] = "application/json" },
           body = json.encode({ path = event.path, authorizer = event.requestContext.authorizer }) }
end)
