import Dispatch
import Gateway
import GatewayModel
import LuaHost
import Testing

extension LuaHostTests {
    @Suite struct Threading {
        @Test func concurrentCallersAreSerialised() throws {
            let host = try host(
                """
                local calls = 0
                gateway.lambda("count", function()
                  local seen = calls
                  for i = 1, 10000 do end      -- long enough for callers to overlap
                  calls = seen + 1             -- a lost update would show if two calls interleaved
                  return calls
                end)
                gateway.lambda("total", function() return calls end)
                """)
            DispatchQueue.concurrentPerform(iterations: 16) { _ in
                _ = host.invoke(call("count"))
            }
            #expect(host.invoke(call("total")).payload == "16")
        }

        @Test func releasingTheHostStopsItsThread() throws {
            var host: LuaHost? = try LuaHost()
            weak let weakHost = host
            #expect(host?.invoke(call("none")).error?["errorType"] == "ResourceNotFoundException")
            host = nil
            #expect(weakHost == nil)
        }
    }
}
