import Gateway
import GatewayModel
import LuaHost
import Testing

extension LuaHostTests {
    @Suite struct Sandbox {
        @Test func removedLibrariesAndFunctionsAreNil() throws {
            let host = try host(
                """
                gateway.lambda("probe", function()
                  return {
                    io = type(io), os = type(os), package = type(package), debug = type(debug), require = type(require),
                    dofile = type(dofile), loadfile = type(loadfile), dump = type(string.dump),
                    string = type(string), table = type(table), math = type(math), utf8 = type(utf8), coroutine = type(coroutine),
                  }
                end)
                """)
            #expect(
                host.invoke(call("probe")).payload
                    == #"{"coroutine":"table","debug":"nil","dofile":"nil","dump":"nil","io":"nil","loadfile":"nil","math":"table","os":"table","package":"nil","require":"nil","string":"table","table":"table","utf8":"table"}"#
            )
        }

        @Test func loadRefusesBinaryChunksButRunsText() throws {
            let host = try host(
                #"""
                gateway.lambda("probe", function()
                  local binary, binaryError = load("\27Lua\84\0\25\147\13\10\26\10", "=bin", "b")
                  local text = load("return 6 * 7")
                  local withEnv = load("return x", "=env", "t", { x = "from env" })
                  return { binary = tostring(binary), binaryError = binaryError, text = text(), env = withEnv() }
                end)
                """#)
            #expect(
                host.invoke(call("probe")).payload
                    == #"{"binary":"nil","binaryError":"attempt to load a binary chunk (mode is 't')","env":"from env","text":42}"#)
        }

        @Test func collectGarbageKeepsOnlyCountAndCollect() throws {
            let host = try host(
                """
                gateway.lambda("probe", function()
                  local countType = type(collectgarbage("count"))
                  collectgarbage()
                  local ok, message = pcall(collectgarbage, "stop")
                  return { count = countType, stop = ok, message = message }
                end)
                """)
            #expect(
                host.invoke(call("probe")).payload
                    == #"{"count":"number","message":"collectgarbage: only \"collect\" and \"count\" are available to plugins","stop":false}"#)
        }

        @Test func gcMetamethodsAreRefused() throws {
            let host = try host(
                """
                gateway.lambda("probe", function()
                  local ok, message = pcall(setmetatable, {}, { __gc = function() end })
                  local plain = setmetatable({}, { __index = { answer = 42 } })
                  return { ok = ok, message = message, answer = plain.answer }
                end)
                """)
            #expect(
                host.invoke(call("probe")).payload
                    == #"{"answer":42,"message":"setmetatable: __gc metamethods are not available to plugins","ok":false}"#)
        }

        @Test func mathRandomIsSeededFromTheHostSeed() throws {
            let source = """
                gateway.lambda("dice", function()
                  local rolls = {}
                  for i = 1, 5 do rolls[i] = math.random(1, 1000) end
                  return rolls
                end)
                """
            let first = try host(source, seed: 7).invoke(call("dice")).payload
            let again = try host(source, seed: 7).invoke(call("dice")).payload
            let other = try host(source, seed: 8).invoke(call("dice")).payload
            #expect(first != nil)
            #expect(first == again)
            #expect(first != other)

            let reseeded = try host(source, seed: 8)
            try reseeded.reset(seed: 7)
            #expect(reseeded.functionNames == [])
            try reseeded.loadPlugin(source: source, chunkName: "plugins/test.lua")
            #expect(reseeded.invoke(call("dice")).payload == first)
        }

        @Test func randomseedNeedsAnExplicitSeed() throws {
            let host = try host(
                """
                gateway.lambda("probe", function()
                  local ok, message = pcall(math.randomseed)
                  return message
                end)
                """)
            #expect(host.invoke(call("probe")).payload == #""math.randomseed: give a seed (gwsh runs are deterministic)""#)
        }
    }
}

extension LuaHostTests {
    /// Escape attempts (issue 11): each fails cleanly and the host stays usable.
    @Suite struct EscapeAttempts {
        @Test func theStringMetatableCannotBeReplacedOrReachedForTheLoader() throws {
            let host = try host(
                """
                gateway.lambda("probe", function()
                  local mt = getmetatable("")
                  local replaced = pcall(setmetatable, "", {})
                  -- Changing string methods through the shared metatable stays inside this state; the loader,
                  -- io and os are not reachable from it.
                  local index = mt and mt.__index
                  return { replaced = replaced, hasLoadlib = index and index.loadlib ~= nil, dumpAfter = type(string.dump) }
                end)
                """)
            #expect(host.invoke(call("probe")).payload == #"{"dumpAfter":"nil","hasLoadlib":false,"replaced":false}"#)
        }

        @Test func anEndlessLoopInsideACoroutineStillTimesOut() throws {
            let host = try host(
                """
                gateway.lambda("spin", function()
                  local co = coroutine.wrap(function() while true do end end)
                  co()
                end)
                gateway.lambda("ok", function() return "still here" end)
                """)
            if case .timedOut = host.invoke(call("spin")).outcome {} else { Issue.record("the coroutine loop did not time out") }
            #expect(host.invoke(call("ok")).payload == #""still here""#)
        }

        @Test func hugeTablesRunOutOfMemoryAndTheHostRecovers() throws {
            let host = try host(
                """
                gateway.lambda("grow", function()
                  local t = {}
                  for i = 1, 1e9 do t[i] = string.rep("x", 64) .. i end
                end)
                gateway.lambda("ok", function() return "still here" end)
                """, limits: LuaLimits(instructionBudget: 2_000_000_000, memoryBytes: 16 << 20))
            let grown = host.invoke(call("grow"))
            if case .functionError(let error, _) = grown.outcome {
                #expect(error["errorType"] == "Runtime.OutOfMemory")
            } else { Issue.record("no out-of-memory error: \(grown.outcome)") }
            #expect(host.invoke(call("ok")).payload == #""still here""#)
        }

        @Test func loadOfBytecodeAndPackageLoadlibAreUnreachable() throws {
            let host = try host(
                #"""
                gateway.lambda("probe", function()
                  local f = function() return 1 end
                  local ok = pcall(function() return load(string.dump(f)) end)
                  return { dumpCall = ok, loadlib = package == nil, debugGone = debug == nil, getmetatableOfG = type(getmetatable(_G)) }
                end)
                """#)
            #expect(host.invoke(call("probe")).payload == #"{"debugGone":true,"dumpCall":false,"getmetatableOfG":"nil","loadlib":true}"#)
        }
    }
}

extension LuaHostTests {
    /// Time in the sandbox is the virtual clock's (issue 11: determinism).
    @Suite struct VirtualTime {
        @Test func osTimeAndClockReadTheVirtualClock() throws {
            let host = try host(
                """
                gateway.lambda("now", function()
                  local names = {}
                  for k in pairs(os) do names[#names + 1] = k end
                  local start = os.clock()
                  local n = 0
                  for i = 1, 300000 do n = n + i end
                  return { time = os.time(), clockGrew = os.clock() > start, names = names, dated = pcall(os.time, {year = 2020}) }
                end)
                """)
            var inv = call("now")
            inv.nowMillis = 1_772_712_000_000
            #expect(host.invoke(inv).payload == #"{"clockGrew":true,"dated":false,"names":["clock","time"],"time":1772712000}"#)
        }
    }
}
