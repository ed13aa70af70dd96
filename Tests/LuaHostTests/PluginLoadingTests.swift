import Foundation
import Gateway
import GatewayModel
import LuaHost
import Testing

extension LuaHostTests {
    @Suite struct PluginLoading {
        @Test(arguments: [
            ("local a = 1\n\nbroken oops\n", 3, "syntax error near 'oops'"),
            ("gateway.lambda('f', function()\n  return 1\n", 3, "'end' expected (to close 'function' at line 1) near <eof>"),
            ("local s = 'unfinished\n", 1, "unfinished string near ''unfinished'"),
        ])
        func syntaxErrorReportsFileAndLine(_ source: String, _ line: Int, _ message: String) throws {
            let host = try LuaHost()
            #expect(throws: LuaHostError(file: "plugins/bad.lua", line: line, message: message)) {
                try host.loadPlugin(source: source, chunkName: "plugins/bad.lua")
            }
        }

        @Test func precompiledPluginIsRefused() throws {
            let host = try LuaHost()
            #expect(throws: LuaHostError(file: "plugins/compiled.lua", message: "attempt to load a binary chunk (mode is 't')")) {
                try host.loadPlugin(source: "\u{1B}Lua\u{54}\u{00}", chunkName: "plugins/compiled.lua")
            }
        }

        @Test func errorDescriptionReadsLikeACompilerMessage() throws {
            let host = try LuaHost()
            do {
                try host.loadPlugin(source: "x = require('socket')", chunkName: "plugins/net.lua")
                Issue.record("the load should have failed")
            } catch {
                #expect(
                    error.description == """
                        plugins/net.lua:1: attempt to call a nil value (global 'require')
                          hint: plugins run sandboxed: only the base, table, string, math, utf8 and coroutine libraries are available (no files, no modules)
                        """)
            }
        }

        @Test func runtimeErrorAtLoadReportsFileAndLine() throws {
            let host = try LuaHost()
            #expect(throws: LuaHostError(file: "plugins/bad.lua", line: 2, message: "attempt to perform arithmetic on a nil value (global 'missing')")) {
                try host.loadPlugin(source: "local a = 1\nlocal b = missing + 1\n", chunkName: "plugins/bad.lua")
            }
        }

        @Test func tableErrorAtLoadUsesItsMessageAndTheTracebackLine() throws {
            let host = try LuaHost()
            #expect(throws: LuaHostError(file: "plugins/bad.lua", line: 2, message: "not configured")) {
                try host.loadPlugin(source: "\nerror({ errorMessage = 'not configured' })\n", chunkName: "plugins/bad.lua")
            }
        }

        @Test func missingFileIsAClearError() throws {
            let host = try LuaHost()
            #expect(throws: LuaHostError(file: "plugins/nope.lua", message: "no such plugin file", hint: "plugin paths are relative to the model file that lists them")) {
                try host.loadPlugin(path: "/nonexistent/plugins/nope.lua", displayName: "plugins/nope.lua")
            }
        }

        @Test func failedLoadRegistersNothing() throws {
            let host = try LuaHost()
            #expect(throws: LuaHostError.self) {
                try host.loadPlugin(source: #"gateway.lambda("half", function() end) error("later")"#, chunkName: "plugins/half.lua")
            }
            #expect(host.functionNames == [])
            #expect(!host.hasFunction("half"))
        }

        @Test func functionNamesAreSortedAndTimeoutsKept() throws {
            let host = try host(
                """
                gateway.lambda("zeta", function() end)
                gateway.lambda("alpha", function() end, { timeout = 30 })
                gateway.lambda("mid-name_2", function() end)
                """)
            #expect(host.functionNames == ["alpha", "mid-name_2", "zeta"])
            #expect(host.hasFunction("alpha"))
            #expect(host.functionTimeoutMillis("alpha") == 30_000)
            #expect(host.functionTimeoutMillis("zeta") == 3000)
        }

        @Test(arguments: [
            (#"gateway.lambda("bad name", function() end)"#,
             "gateway.lambda: the name must be 1 to 64 letters, digits, hyphens or underscores (as Lambda's)"),
            (#"gateway.lambda("f", "not a function")"#, "gateway.lambda: the handler of 'f' must be a function(event, context)"),
            (#"gateway.lambda("f", function() end, { timeout = 0.5 })"#,
             "gateway.lambda: timeout must be a whole number of seconds from 1 to 900 (as Lambda's)"),
            (#"gateway.lambda("f", function() end, { memory = 256 })"#, "gateway.lambda: unknown option 'memory' (known: timeout)"),
            (#"gateway.lambda("f", function() end) gateway.lambda("f", function() end)"#,
             "gateway.lambda: 'f' is registered twice in plugins/test.lua"),
        ])
        func registrationMistakesPointAtThePlugin(_ source: String, _ message: String) throws {
            let host = try LuaHost()
            #expect(throws: LuaHostError(file: "plugins/test.lua", line: 1, message: message)) {
                try host.loadPlugin(source: source, chunkName: "plugins/test.lua")
            }
        }

        @Test func anotherPluginCannotTakeAName() throws {
            let host = try host(#"gateway.lambda("orders", function() return 1 end)"#)
            #expect(throws: LuaHostError(file: "plugins/other.lua", line: 1, message: "gateway.lambda: 'orders' is already registered by plugins/test.lua")) {
                try host.loadPlugin(source: #"gateway.lambda("orders", function() return 2 end)"#, chunkName: "plugins/other.lua")
            }
            #expect(host.invoke(call("orders")).payload == "1")
        }

        @Test func reloadingAPluginReplacesItsFunctions() throws {
            let host = try host(
                """
                gateway.lambda("kept", function() return "old" end)
                gateway.lambda("dropped", function() end)
                """)
            try host.loadPlugin(source: #"gateway.lambda("kept", function() return "new" end)"#, chunkName: "plugins/test.lua")
            #expect(host.functionNames == ["kept"])
            #expect(host.invoke(call("kept")).payload == #""new""#)
        }

        @Test func registeringOutsideALoadIsAnError() throws {
            let host = try host(#"gateway.lambda("late", function() gateway.lambda("later", function() end) end)"#)
            #expect(host.invoke(call("late")).error?["errorMessage"] == "gateway.lambda: register functions at the top level of a plugin, while it loads")
            #expect(!host.hasFunction("later"))
        }

        @Test func pluginsShareGlobalsAndKeepState() throws {
            let host = try host(
                """
                counter = 0
                gateway.lambda("count", function() counter = counter + 1 return counter end)
                """)
            try host.loadPlugin(source: #"gateway.lambda("peek", function() return counter end)"#, chunkName: "plugins/peek.lua")
            #expect(host.invoke(call("count")).payload == "1")
            #expect(host.invoke(call("count")).payload == "2")
            #expect(host.invoke(call("peek")).payload == "2")
        }
    }
}
