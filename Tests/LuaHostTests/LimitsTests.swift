import CShims
import Dispatch
import Foundation
import Gateway
import GatewayModel
import LuaHost
import Testing

extension LuaHostTests {
    @Suite struct Limits {
        static let loops = """
            gateway.lambda("spin", function() while true do end end)
            gateway.lambda("stubborn", function()
              while true do pcall(function() while true do end end) end
            end)
            gateway.lambda("resumer", function()
              while true do coroutine.resume(coroutine.create(function() while true do end end)) end
            end)
            gateway.lambda("wrapper", function()
              while true do pcall(coroutine.wrap(function() while true do end end)) end
            end)
            gateway.lambda("slow", function() while true do end end, { timeout = 10 })
            gateway.lambda("echo", function(event) return event end)
            """

        @Test func endlessLoopTimesOutWithinASecondAndTheHostStaysUsable() throws {
            let host = try host(Self.loops)
            let start = Date()
            let result = host.invoke(call("spin"))
            #expect(Date().timeIntervalSince(start) < 1)
            #expect(result.outcome == .timedOut(afterMillis: 3000))
            #expect(result.durationMillis == 3000)
            #expect(host.invoke(call("echo", #"{"after":"timeout"}"#)).payload == #"{"after":"timeout"}"#)
        }

        @Test(arguments: ["stubborn", "resumer", "wrapper"])
        func pcallAndCoroutinesCannotSwallowTheTimeout(_ function: String) throws {
            let host = try host(Self.loops)
            let start = Date()
            #expect(host.invoke(call(function)).outcome == .timedOut(afterMillis: 3000))
            #expect(Date().timeIntervalSince(start) < 1)
            #expect(host.invoke(call("echo", "[1]")).payload == "[1]")
        }

        @Test func timeoutIsTheRegisteredOne() throws {
            let host = try host(Self.loops)
            #expect(host.functionTimeoutMillis("slow") == 10_000)
            #expect(host.functionTimeoutMillis("spin") == 3000)
            #expect(host.invoke(call("slow")).outcome == .timedOut(afterMillis: 10_000))
        }

        @Test func smallBudgetStopsLongWork() throws {
            let host = try host(
                """
                gateway.lambda("count", function(event)
                  local n = 0
                  for i = 1, event.to do n = n + 1 end
                  return n
                end)
                """, limits: LuaLimits(instructionBudget: 100_000))
            #expect(host.invoke(call("count", #"{"to":1000}"#)).payload == "1000")
            #expect(host.invoke(call("count", #"{"to":1000000}"#)).outcome == .timedOut(afterMillis: 3000))
        }

        @Test func endlessLoopAtLoadIsALoadError() throws {
            let host = try LuaHost()
            #expect(throws: LuaHostError(
                file: "plugins/loop.lua", message: "ran out of instructions while loading (budget 50000000)",
                hint: "a plugin's top level runs once, when it loads: look there for an endless loop, and do the work in a handler")
            ) {
                try host.loadPlugin(source: "while true do end", chunkName: "plugins/loop.lua")
            }
            try host.loadPlugin(source: #"gateway.lambda("ok", function() return "ok" end)"#, chunkName: "plugins/ok.lua")
            #expect(host.invoke(call("ok")).payload == #""ok""#)
        }

        @Test func endlessRecursionIsAFunctionErrorAndTheHostStaysUsable() throws {
            let host = try host(
                """
                local function dive(n) return 1 + dive(n + 1) end
                gateway.lambda("dive", function() return dive(1) end)
                gateway.lambda("meta", function()
                  local t = setmetatable({}, { __index = function(t, k) return t[k] end })
                  return t.x
                end)
                gateway.lambda("echo", function(event) return event end)
                """)
            let dive = host.invoke(call("dive")).error
            #expect(dive?["errorMessage"] == "stack overflow")
            #expect(dive?["stackTrace"]?.arrayValue?.contains("... (skipping 499975 levels)") == true)
            #expect(host.invoke(call("meta")).error?["errorMessage"] == "C stack overflow")
            #expect(host.invoke(call("echo", "3")).payload == "3")
        }

        static let bombs = """
            gateway.lambda("rep", function() return #string.rep("x", 1 << 30) end)
            gateway.lambda("concat", function() local s = "x" while true do s = s .. s end end)
            gateway.lambda("table", function()
              local t = {}
              while true do t[#t + 1] = { #t } end
            end)
            gateway.lambda("caught", function()
              local ok, message = pcall(string.rep, "x", 1 << 30)
              error(message)
            end)
            gateway.lambda("echo", function(event) return event end)
            """

        static let outOfMemory = #"{"errorMessage":"Runtime exited with error: out of memory (limit 64 MiB)","errorType":"Runtime.OutOfMemory"}"#

        @Test(arguments: ["rep", "concat", "table", "caught"])
        func memoryBombsAreOutOfMemoryAndTheHostStaysUsable(_ function: String) throws {
            let host = try host(Self.bombs)
            let start = Date()
            let result = host.invoke(call(function))
            #expect(Date().timeIntervalSince(start) < 1)
            #expect(result.errorJSON == Self.outOfMemory)
            #expect(host.invoke(call("echo", #"{"after":"bomb"}"#)).payload == #"{"after":"bomb"}"#)
        }

        @Test func memoryLimitIsConfigurable() throws {
            let host = try host(Self.bombs, limits: LuaLimits(memoryBytes: 8 << 20))
            #expect(host.invoke(call("table")).error?["errorMessage"] == "Runtime exited with error: out of memory (limit 8 MiB)")
        }

        @Test func interruptFlagCancelsARunningFunction() throws {
            // A budget of many seconds, so only the flag can stop the loop (and a broken flag fails rather than hangs).
            let host = try host(Self.loops, limits: LuaLimits(instructionBudget: 5_000_000_000))
            gwsh_clear_interrupt()
            let raiser = Thread {
                Thread.sleep(forTimeInterval: 0.1)
                gwsh_raise_interrupt()
            }
            raiser.start()
            let start = Date()
            let result = host.invoke(call("spin"))
            #expect(result.outcome == .cancelled)
            #expect(result.durationMillis > 1)
            #expect(Date().timeIntervalSince(start) < 2)
            #expect(gwsh_interrupt_pending() == 0)
            #expect(host.invoke(call("echo", "true")).payload == "true")
        }

        @Test func pendingInterruptCancelsTheNextRun() throws {
            let host = try host(Self.loops)
            gwsh_raise_interrupt()
            #expect(host.invoke(call("stubborn")).outcome == .cancelled)
            #expect(gwsh_interrupt_pending() == 0)
        }
    }
}
