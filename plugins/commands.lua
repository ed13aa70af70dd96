-- Shell commands from a plugin (issue 10: gateway.command). A command gets the words typed after its name and
-- prints or returns what the shell shows; it runs in the sandbox with a handler's limits.

local greetings = 0

gateway.command("greet", "greet NAME — say hello (and count how often)", function(args)
  greetings = greetings + 1
  local name = args[1] or "world"
  print("greeting #" .. greetings)
  return "hello, " .. name
end)

-- A command that helps a test author: the expected selection for a few Lambda error messages.
gateway.command("classify", "classify MESSAGE… — which status a status-codes Lambda error would select", function(args)
  local message = table.concat(args, " ")
  if message:match("^.*Raising 400.*$") then return { status = 400, pattern = ".*Raising 400.*" } end
  if message:match("^.*Raising 500.*$") then return { status = 500, pattern = ".*Raising 500.*" } end
  return { status = 200, pattern = "(default)" }
end)

gateway.command("broken", "broken — fails on purpose", function(args)
  error("this command always fails")
end)
