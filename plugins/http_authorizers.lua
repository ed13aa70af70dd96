-- Authorizers for an HTTP API (reference/http-api.md §7.2, lambda-payloads.md §5.5), and a function that shows
-- what reached it.

-- A simple-response authorizer (payload 2.0, enableSimpleResponses): the identity values arrive in
-- event.identitySource; the answer is {isAuthorized, context}.
gateway.lambda("simple-auth", function(event, context)
  local token = event.identitySource and event.identitySource[1]
  if token == "let-me-in" then
    return { isAuthorized = true, context = { user = "alice", tier = 2, groups = { "admins", "ops" } } }
  end
  return { isAuthorized = false }
end)

-- An IAM-policy authorizer (payload 1.0): allows GET on every path of the API and stage, denies DELETE
-- explicitly. event.methodArn is arn:aws:execute-api:REGION:ACCOUNT:API/STAGE/METHOD/PATH.
gateway.lambda("policy-auth", function(event, context)
  local api = event.methodArn:match("^(arn:aws:execute%-api:[^:]+:[^:]+:[^/]+/[^/]+)/")
  if event.authorizationToken ~= "let-me-in" then
    error({ errorMessage = "Unauthorized", errorType = "Error" })
  end
  return {
    principalId = "alice",
    policyDocument = {
      Version = "2012-10-17",
      Statement = {
        { Effect = "Allow", Action = "execute-api:Invoke", Resource = api .. "/GET/*" },
        { Effect = "Deny", Action = "execute-api:Invoke", Resource = api .. "/DELETE/*" },
      },
    },
    context = { user = "alice" },
  }
end)

-- Answers what the authorizer passed on (requestContext.authorizer) and the route.
gateway.lambda("whoami", function(event, context)
  return {
    statusCode = 200,
    headers = { ["content-type"] = "application/json" },
    body = json.encode({ route = event.routeKey or event.resource, authorizer = event.requestContext.authorizer }),
  }
end)
