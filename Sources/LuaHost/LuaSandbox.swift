/// The Lua code that turns a bare state into a plugin sandbox and defines the plugin API.
///
/// It runs once per `lua_State`, after the C side has opened the pure libraries (base, table, string, math,
/// utf8, coroutine — never io, os, package or debug). It receives the native functions (`encode`, `decode`,
/// `log`, implemented in lua_shims.c and LuaCallbacks.swift) and the seed, and returns the host's internal
/// table, which lives in the registry where plugins cannot reach it.
///
/// Why each removal: plugins must not touch files (`dofile`, `loadfile`), load bytecode (`load` is text only and
/// `string.dump` is gone: malformed bytecode can crash the VM), change the collector (`collectgarbage` keeps
/// only "count" and "collect"), or run code inside the collector (`__gc`, refused by `setmetatable`): the host
/// relies on no Lua code running while it builds values. `math.random` is seeded so runs are deterministic.
enum LuaSandbox {
    /// The chunk name of the prelude, as it appears in messages and tracebacks.
    static let chunkName = "[gwsh]"

    static let prelude = #"""
        local native, seed = ...
        local raw_load, raw_setmetatable, raw_collect = load, setmetatable, collectgarbage
        local raw_randomseed = math.randomseed
        local error, next, rawget, select, tostring, type, pcall = error, next, rawget, select, tostring, type, pcall
        local concat = table.concat
        local math_type = math.type

        -- No files, no module system, no bytecode.
        dofile, loadfile, require, package, io, os, debug = nil, nil, nil, nil, nil, nil, nil
        string.dump = nil

        -- Time is the virtual clock's: os.time() its seconds, os.clock() the simulated CPU seconds of the call.
        -- Nothing else of os exists (no dates, environment, files or processes).
        local native_now = native.now
        os = {
          time = function(t)
            if t ~= nil then error("os.time: only os.time() is available (the virtual clock)", 2) end
            local now = native_now()
            return now // 1000
          end,
          clock = function()
            local _, spent = native_now()
            return spent / 1000
          end,
        }

        -- Text chunks only, whatever mode the caller asks for; keep "no env" distinct from "env = nil".
        function load(chunk, chunkname, mode, ...)
          if select("#", ...) > 0 then return raw_load(chunk, chunkname, "t", ...) end
          return raw_load(chunk, chunkname, "t")
        end

        function collectgarbage(option, ...)
          option = option or "collect"
          if option ~= "collect" and option ~= "count" then
            error("collectgarbage: only \"collect\" and \"count\" are available to plugins", 2)
          end
          return raw_collect(option)
        end

        function setmetatable(t, mt)
          if type(mt) == "table" and rawget(mt, "__gc") ~= nil then
            error("setmetatable: __gc metamethods are not available to plugins", 2)
          end
          return raw_setmetatable(t, mt)
        end

        raw_randomseed(seed)
        function math.randomseed(...)
          if select("#", ...) == 0 then
            error("math.randomseed: give a seed (gwsh runs are deterministic)", 2)
          end
          return raw_randomseed(...)
        end

        -- Two library loops that run in C, out of reach of the instruction budget and Ctrl-C: string.rep of an
        -- empty string (no memory is used, so the memory limit never stops it) and table.move over a huge range.
        local raw_rep, raw_move, tointeger = string.rep, table.move, math.tointeger
        local max_repeat = 1 << 26
        function string.rep(s, n, sep)
          local count = tointeger(n)
          if count and count > max_repeat and #tostring(s) == 0 and (sep == nil or #tostring(sep) == 0) then
            return ""
          end
          return raw_rep(s, n, sep)
        end
        function table.move(a1, f, e, t, a2)
          local first, last = tointeger(f), tointeger(e)
          if first and last and last - first >= max_repeat then
            error("table.move: too many elements to move (at most " .. max_repeat .. ")", 2)
          end
          return raw_move(a1, f, e, t, a2)
        end

        -- pairs walks keys in a stable order (numbers, then strings, then the rest by type name): Debian's
        -- liblua seeds its string hashes per state, so raw `next` order differs between runs, and a plugin
        -- that iterates event.headers must print the same thing on every replay.
        local sort = table.sort
        local function key_less(a, b)
          local ta, tb = type(a), type(b)
          if ta ~= tb then
            if ta == "number" then return true elseif tb == "number" then return false end
            return ta < tb
          end
          if ta == "number" or ta == "string" then return a < b end
          return false
        end
        function pairs(t)
          local mt = getmetatable(t)
          if type(mt) == "table" and rawget(mt, "__pairs") then return rawget(mt, "__pairs")(t) end
          local keys = {}
          for k in next, t do keys[#keys + 1] = k end
          sort(keys, key_less)
          local i = 0
          return function()
            i = i + 1
            local k = keys[i]
            if k == nil then return nil end
            return k, rawget(t, k)
          end, t, nil
        end

        -- print goes to the invocation's log, tab-joined like Lua's own print.
        function print(...)
          local n = select("#", ...)
          local parts = { ... }
          for i = 1, n do parts[i] = tostring(parts[i]) end
          native.log(concat(parts, "\t", 1, n))
        end

        -- JSON: null is a sentinel (nil cannot sit in a table); lists carry a metatable so that an empty
        -- list stays [] (an empty plain table encodes as {}).
        local null = raw_setmetatable({}, {
          __tostring = function() return "null" end,
          __newindex = function() error("json.null is read-only", 2) end,
          __metatable = false,
        })
        local array_mt = { __name = "json.array" }
        json = {
          encode = native.encode,
          decode = native.decode,
          null = null,
        }
        function json.array(t)
          if t == nil then t = {} end
          if type(t) ~= "table" then error("json.array: expected a table, got " .. type(t), 2) end
          return raw_setmetatable(t, array_mt)
        end

        -- Registered functions: name -> {fn = handler, timeout = seconds, chunk = plugin}. A plugin's
        -- registrations take effect only if its whole chunk runs, so a failed load changes nothing.
        local functions = {}
        local loading = nil

        gateway = {}

        -- The checks every registration shares: at a plugin's top level, while it loads; once per plugin; never a
        -- name another plugin has. Level 3 points messages at the plugin's call of gateway.X.
        local function while_loading(api, what)
          if loading == nil then error("gateway." .. api .. ": register " .. what .. " at the top level of a plugin, while it loads", 3) end
        end
        local function claim(api, key, shown, entry)
          if loading.pending[key] then error("gateway." .. api .. ": '" .. shown .. "' is registered twice in " .. loading.chunk, 3) end
          local existing = functions[key]
          if existing and existing.chunk ~= loading.chunk then
            error("gateway." .. api .. ": '" .. shown .. "' is already registered by " .. existing.chunk, 3)
          end
          entry.chunk = loading.chunk
          loading.pending[key] = entry
        end

        function gateway.lambda(name, handler, options)
          while_loading("lambda", "functions")
          if type(name) ~= "string" or not name:match("^[%w_-]+$") or #name > 64 then
            error("gateway.lambda: the name must be 1 to 64 letters, digits, hyphens or underscores (as Lambda's)", 2)
          end
          if type(handler) ~= "function" then
            error("gateway.lambda: the handler of '" .. name .. "' must be a function(event, context)", 2)
          end
          local timeout = 3
          if options ~= nil then
            if type(options) ~= "table" then error("gateway.lambda: options must be a table such as {timeout = 10}", 2) end
            for key in next, options do
              if key ~= "timeout" then error("gateway.lambda: unknown option '" .. tostring(key) .. "' (known: timeout)", 2) end
            end
            if options.timeout ~= nil then timeout = options.timeout end
            if math_type(timeout) ~= "integer" or timeout < 1 or timeout > 900 then
              error("gateway.lambda: timeout must be a whole number of seconds from 1 to 900 (as Lambda's)", 2)
            end
          end
          claim("lambda", name, name, { fn = handler, timeout = timeout })
        end

        -- HTTP backends in Lua: gateway.backend(host, function(request) return {status=, headers=, body=} end).
        -- They share the function registry under "backend:HOST" (a name no Lambda function can have), so they
        -- run with the same sandbox, limits and error handling; Swift calls them through invoke.
        function gateway.backend(host, handler)
          while_loading("backend", "backends")
          if type(host) ~= "string" or not host:match("^[%w][%w.-]*$") or #host > 253 then
            error("gateway.backend: the host must be a DNS name such as inventory.internal", 2)
          end
          if type(handler) ~= "function" then
            error("gateway.backend: the handler of '" .. host .. "' must be a function(request)", 2)
          end
          local name = "backend:" .. host:lower()
          local function serve(request, context)
            local r = handler(request)
            if type(r) ~= "table" then
              error("gateway.backend '" .. host .. "': the handler must return a table {status = 200, headers = {...}, body = \"...\"}, not " .. type(r), 0)
            end
            local body = r.body
            if type(body) == "table" then body = native.encode(body) end
            if body ~= nil and type(body) ~= "string" then body = tostring(body) end
            if r.latencyMillis ~= nil and (math_type(r.latencyMillis) ~= "integer" or r.latencyMillis < 0 or r.latencyMillis > 3600000) then
              error("gateway.backend '" .. host .. "': latencyMillis must be a whole number of milliseconds from 0 to 3600000", 0)
            end
            if r.status ~= nil and (math_type(r.status) ~= "integer" or r.status < 100 or r.status > 599) then
              error("gateway.backend '" .. host .. "': status must be a whole number from 100 to 599, not " .. tostring(r.status), 0)
            end
            return { status = r.status or 200, headers = r.headers or {}, body = body or "", latencyMillis = r.latencyMillis }
          end
          -- A backend may take as long as an integration waits (29 s).
          claim("backend", name, host, { fn = serve, timeout = 29 })
        end

        -- Shell commands from plugins: gateway.command(name, help, function(args) ... end). They share the registry
        -- under "command:NAME" and run like handlers (sandbox, limits, errors); args is the list of words typed.
        function gateway.command(name, help, handler)
          while_loading("command", "commands")
          if type(name) ~= "string" or not name:match("^[%a][%w_-]*$") or #name > 32 then
            error("gateway.command: the name must start with a letter and hold letters, digits, - or _ (at most 32)", 2)
          end
          if type(help) ~= "string" then error("gateway.command: give a one-line help text for '" .. name .. "'", 2) end
          if type(handler) ~= "function" then error("gateway.command: the handler of '" .. name .. "' must be a function(args)", 2) end
          claim("command", "command:" .. name, name, { fn = function(args) return handler(args) end, timeout = 3, help = help })
        end

        -- Stage hooks: gateway.on("before:integration", function(exchange) ... end) (or "after:STAGE"; a bare STAGE
        -- means before). They share the registry under "hook:PHASE:STAGE:PLUGIN:N" and run like handlers.
        local stages = { edge = true, endpoint = true, route = true, auth = true, ["usage-plan"] = true, ["method-request"] = true,
                         ["integration-request"] = true, integration = true, ["integration-response"] = true,
                         ["method-response"] = true, response = true }
        local hook_count = 0
        function gateway.on(event, handler)
          while_loading("on", "hooks")
          if type(event) ~= "string" then error("gateway.on: the event is \"before:STAGE\" or \"after:STAGE\"", 2) end
          local phase, stage = event:match("^(%a+):([%a-]+)$")
          if phase == nil then phase, stage = "before", event end
          if (phase ~= "before" and phase ~= "after") or not stages[stage] then
            error("gateway.on: unknown event '" .. event .. "' (before:STAGE or after:STAGE; stages: edge, endpoint, route, auth, usage-plan, method-request, integration-request, integration, integration-response, method-response, response)", 2)
          end
          if type(handler) ~= "function" then error("gateway.on: the handler must be a function(exchange)", 2) end
          hook_count = hook_count + 1
          claim("on", "hook:" .. phase .. ":" .. stage .. ":" .. loading.chunk .. ":" .. hook_count, event, { fn = function(view) return handler(view) end, timeout = 3 })
        end

        -- Lua mappers: gateway.mapper(name, function(input) ... end), named in a model in a template's place as
        -- { lua = NAME }. They share the registry under "mapper:NAME".
        function gateway.mapper(name, handler)
          while_loading("mapper", "mappers")
          if type(name) ~= "string" or not name:match("^[%a][%w_.-]*$") or #name > 64 then
            error("gateway.mapper: the name must start with a letter and hold letters, digits, '.', '-' or '_' (at most 64)", 2)
          end
          if type(handler) ~= "function" then error("gateway.mapper: the handler of '" .. name .. "' must be a function(input)", 2) end
          claim("mapper", "mapper:" .. name, name, { fn = function(input) return handler(input) end, timeout = 3 })
        end

        local internal = { null = null, array_mt = array_mt, functions = functions }

        function internal.begin_load(chunk)
          loading = { chunk = chunk, pending = {} }
        end

        -- Reloading a plugin replaces everything it registered before. Returns name -> timeout for all.
        function internal.finish_load(ok)
          local done = loading
          loading = nil
          if ok and done then
            for name, entry in next, functions do
              if entry.chunk == done.chunk then functions[name] = nil end
            end
            for name, entry in next, done.pending do functions[name] = entry end
          end
          local registered = {}
          for name, entry in next, functions do
            registered[name] = { timeout = entry.timeout, chunk = entry.chunk, help = entry.help }
          end
          return registered
        end

        -- The `lua` prompt shows results as lua.c does, tab-joined, but tables as JSON (their addresses would make
        -- sessions differ between runs) and json.null as null.
        function internal.show(n, ...)
          local out = {}
          for i = 1, n do
            local v = select(i, ...)
            local t = type(v)
            if v == null then out[i] = "null"
            elseif t == "table" then
              local ok, text = pcall(native.encode, v)
              out[i] = ok and text or "table"
            elseif t == "function" or t == "thread" or t == "userdata" then out[i] = t
            else out[i] = tostring(v) end
          end
          return concat(out, "\t", 1, n)
        end

        return internal
        """#
}
