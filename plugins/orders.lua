-- The default model's `orders` function (MODEL.md): a Lambda proxy handler behind POST /orders and
-- GET /orders. Orders live in this plugin for the session, with ids "1", "2", ... in order.

local orders = json.array()   -- a list marker, so that no orders encodes as [] rather than {}

local function respond(statusCode, value)
  return {
    statusCode = statusCode,
    headers = { ["Content-Type"] = "application/json" },
    body = json.encode(value),
  }
end

-- The order the body asks for, or nil and what is wrong with it.
local function parse(body)
  local ok, fields = pcall(json.decode, type(body) == "string" and body or "")
  if not ok or type(fields) ~= "table" or fields == json.null then
    return nil, "the body must be a JSON object with item and quantity"
  end
  if type(fields.item) ~= "string" or fields.item == "" then
    return nil, "item must be a non-empty string"
  end
  local quantity = type(fields.quantity) == "number" and math.tointeger(fields.quantity)
  if not quantity or quantity < 1 then
    return nil, "quantity must be a positive integer"
  end
  return { item = fields.item, quantity = quantity }
end

local function create(body)
  local order, problem = parse(body)
  if not order then return respond(400, { message = problem }) end
  order.id = tostring(#orders + 1)
  order.status = "pending"
  orders[#orders + 1] = order
  return respond(201, order)
end

gateway.lambda("orders", function(event, context)
  if event.httpMethod == "POST" then return create(event.body) end
  if event.httpMethod == "GET" then return respond(200, orders) end
  return respond(405, { message = "orders accepts GET and POST, not " .. tostring(event.httpMethod) })
end)
