-- The seed's Lambda for the REST status-override case (reference/mapping.md §4.7 A), ported from Python:
--
--     def lambda_handler(event, context):
--         return { 'statusCode': 200, 'body': "customerror" }
--
-- With a non-proxy (AWS) integration this is just data: the 200 inside it is not a status code. The
-- response template reads it and sets $context.responseOverride.status.
-- (Lua tables have no key order; gwsh writes their keys sorted, so the JSON is {"body": …, "statusCode": 200}.)
gateway.lambda("customerror", function(event, context)
  return { statusCode = 200, body = "customerror" }
end)

-- The variant recorded on AWS (LocalStack's test_lambda_aws_integration_response_with_mapping_templates):
-- "customerror" when the input's httpStatus is 400 or more, else "noerror".
gateway.lambda("status-by-input", function(event, context)
  local status = type(event) == "table" and tonumber(event.httpStatus) or 0
  return { statusCode = 200, body = status >= 400 and "customerror" or "noerror" }
end)
