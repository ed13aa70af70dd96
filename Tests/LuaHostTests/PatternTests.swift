import CShims
import Foundation
import Gateway
import GatewayModel
import LuaHost
import Testing

extension LuaHostTests {
    /// The sandbox's own string.find/match/gmatch/gsub (lua_patterns.c): Lua 5.4's semantics, but a pathological
    /// pattern uses up the instruction budget (a timeout) or is cancelled by Ctrl-C instead of hanging the shell.
    @Suite struct Patterns {
        /// Evaluates a Lua expression and shows its results as Lua would print them quoted (`%q`, one line).
        static let evaluator = #"""
            local function quote(v)
              if type(v) == "string" then return (string.format("%q", v):gsub("\\\n", "\\n")) end
              return tostring(v)
            end
            function show(...)
              local t = {}
              for i = 1, select("#", ...) do t[i] = quote((select(i, ...))) end
              return table.concat(t, ", ")
            end
            function collect(it)
              local out = {}
              while true do
                local r = table.pack(it())
                if r[1] == nil then break end
                out[#out + 1] = "{" .. show(table.unpack(r, 1, r.n)) .. "}"
              end
              return table.concat(out, " ")
            end
            gateway.lambda("eval", function(event)
              local f = assert(load("return show(" .. event.expression .. ")", "=case", "t"))
              local ok, r = pcall(f)
              if not ok then r = "raised: " .. tostring(r) end
              return r
            end)
            """#

        /// One host for the whole table (a static let is initialized once, thread-safely).
        static let shared = Result { try host(evaluator) }

        /// Each expression and what Lua 5.4.4 (Debian's lua5.4, the same release as the linked liblua) prints for
        /// it through `show`.
        static let cases: [(String, String)] = [
            (#"("hello world"):find("o w")"#, #"5, 7"#),
            (#"("hello world"):find("o", 6)"#, #"8, 8"#),
            (#"("hello world"):find("l", -3)"#, #"10, 10"#),
            (#"("hello world"):find("l", -100)"#, #"3, 3"#),
            (#"("hello world"):find("h", 0)"#, #"1, 1"#),
            (#"("hello"):find("", 10)"#, #"nil"#),
            (#"("hello"):find("", 6)"#, #"6, 5"#),
            (#"("hello"):find("", -1)"#, #"5, 4"#),
            (#"("a.b.c"):find(".", 1, true)"#, #"2, 2"#),
            (#"("a.b.c"):find("%.", 3)"#, #"4, 4"#),
            (#"("a+b"):find("+", 1, true)"#, #"2, 2"#),
            (#"("a\0b\0c"):find("\0c")"#, #"4, 5"#),
            (#"("hello"):find("l+")"#, #"3, 4"#),
            (#"("hello"):find("(l)(l)")"#, #"3, 4, "l", "l""#),
            (#"("hello"):find("()ll()")"#, #"3, 4, 3, 5"#),
            (#"("hello"):find("^h")"#, #"1, 1"#),
            (#"("hello"):find("^e")"#, #"nil"#),
            (#"("hello"):find("o$")"#, #"5, 5"#),
            (#"("hello"):find("$")"#, #"6, 5"#),
            (#"("a$b"):find("$b")"#, #"2, 3"#),
            (#"("^a"):find("^^a")"#, #"1, 2"#),
            (#"("hello"):match("h(.-)o")"#, #""ell""#),
            (#"("hello"):match("h(.*)l")"#, #""el""#),
            (#"("hello"):match("h(.-)l")"#, #""e""#),
            (#"("key = value"):match("^(%w+)%s*=%s*(%w+)$")"#, #""key", "value""#),
            (#"("  trim me  "):match("^%s*(.-)%s*$")"#, #""trim me""#),
            (#"("2024-01-15"):match("(%d+)-(%d+)-(%d+)")"#, #""2024", "01", "15""#),
            (#"("hello"):match(".", -1)"#, #""o""#),
            (#"("hello"):match("()", 3)"#, #"3"#),
            (#"("hello"):match("x")"#, #"nil"#),
            (#"("abc"):match("((a)(b))c")"#, #""ab", "a", "b""#),
            (#"("aaa"):match("a-b")"#, #"nil"#),
            (#"("aaab"):match("a-b")"#, #""aaab""#),
            (#"("aaab"):match("^a-$")"#, #"nil"#),
            (#"("abc"):match("a?b?c?d?")"#, #""abc""#),
            (#"("ac"):match("ab?c")"#, #""ac""#),
            (#"("abbbc"):match("ab+c")"#, #""abbbc""#),
            (#"("ac"):match("ab+c")"#, #"nil"#),
            (#"("ac"):match("ab*c")"#, #""ac""#),
            (#"("THE (quick) fox"):match("%((%a+)%)")"#, #""quick""#),
            (#"("f(a(b)c)d"):match("%b()")"#, #""(a(b)c)""#),
            (#"("f(a(b)c"):match("%b()")"#, #""(b)""#),
            (#"("[[x]]"):match("%b[]")"#, #""[[x]]""#),
            (#"("THE (quick) fox"):find("%f[%a]%a+", 5)"#, #"6, 10"#),
            (#"("hello world"):gsub("%f[%w]%w+", string.upper)"#, #""HELLO WORLD", 2"#),
            (#"("THE quick"):match("%f[%l]%a+")"#, #""quick""#),
            (#"("abcabc"):match("(abc)%1")"#, #""abc""#),
            (#"("abcab"):match("(abc)%1")"#, #"nil"#),
            (#"("xyzxyz!"):match("^(%a+)%1(.)$")"#, #""xyz", "!""#),
            (#"("a1 b2 c3"):match("%a%d", 3)"#, #""b2""#),
            (#"("hello"):match("[aeiou]")"#, #""e""#),
            (#"("hello"):match("[^aeiou]+")"#, #""h""#),
            (#"("x-y"):match("[a-]")"#, #""-""#),
            (#"("x-y"):match("[%-]")"#, #""-""#),
            (#"("a]b"):match("[]]")"#, #""]""#),
            (#"("a]b"):match("[^]]+")"#, #""a""#),
            (#"("abc123"):match("[%a]+")"#, #""abc""#),
            (#"("abc123"):match("[%d]+")"#, #""123""#),
            (#"("ABCdef"):match("[A-Z]+")"#, #""ABC""#),
            (#"("ABCdef"):match("%u+%l+")"#, #""ABCdef""#),
            (#"("a\tb\nc"):match("%s")"#, #""\9""#),
            (#"("a\tb"):match("%c")"#, #""\9""#),
            (#"("x!y"):match("%p")"#, #""!""#),
            (#"("0xFF"):match("%x+$")"#, #""FF""#),
            (#"("hello, world"):match("%g+")"#, #""hello,""#),
            (#"("a_b1"):match("[%w_]+")"#, #""a_b1""#),
            (#"("abc"):match("%Z+")"#, #""abc""#),
            (#"("line1\nline2"):match("[^\n]+$")"#, #""line2""#),
            (#"("éa"):match("%a")"#, #""a""#),
            (#"("hello"):match("%S+%s?(%S*)")"#, #""""#),
            (#"("one two"):match("%W")"#, #"" ""#),
            (#"("one two"):match("%D+")"#, #""one two""#),
            (#"("hello world from lua"):gsub("%w+", "<%0>")"#, #""<hello> <world> <from> <lua>", 4"#),
            (#"("hello world"):gsub("o", "0", 1)"#, #""hell0 world", 1"#),
            (#"("hello world"):gsub("o", "0", 0)"#, #""hello world", 0"#),
            (#"("hello world"):gsub("o", "0", -1)"#, #""hello world", 0"#),
            (#"("hello world"):gsub("(%w+) (%w+)", "%2 %1")"#, #""world hello", 1"#),
            (#"("hello"):gsub("", "-")"#, #""-h-e-l-l-o-", 6"#),
            (#"("abc"):gsub(".", {a = 1, b = true and "B"})"#, #""1Bc", 3"#),
            (#"("abc"):gsub("%w", {a = false})"#, #""abc", 3"#),
            (#"("$name and $age"):gsub("%$(%w+)", {name = "Ann", age = 42})"#, #""Ann and 42", 2"#),
            (#"("abc"):gsub(".", function(c) return c:byte() .. "," end)"#, #""97,98,99,", 3"#),
            (#"("abc"):gsub("(.)", function(c) if c == "b" then return nil end return c:upper() end)"#, #""AbC", 3"#),
            (#"("hello world"):gsub("()o()", "%1-%2")"#, #""hell5-6 w8-9rld", 2"#),
            (#"("hello"):gsub("l", "%%")"#, #""he%%o", 2"#),
            (#"("hello"):gsub("l+", "%1%1")"#, #""hellllo", 1"#),
            (#"("abc"):gsub("%w", 5)"#, #""555", 3"#),
            (#"("abc"):gsub("^.", "X")"#, #""Xbc", 1"#),
            (#"("abc"):gsub("$", "!")"#, #""abc!", 1"#),
            (#"("a,b,,c"):gsub(",", ";")"#, #""a;b;;c", 3"#),
            (#"("x = 1, y = 2"):gsub("(%w+) = (%w+)", "%2 = %1")"#, #""1 = x, 2 = y", 2"#),
            (#"("  a  b  "):gsub("%s+", " ")"#, #"" a b ", 3"#),
            (#"("hello"):gsub("x*", "-")"#, #""-h-e-l-l-o-", 6"#),
            (#"("abc"):gsub("b*", "X")"#, #""XaXcX", 3"#),
            (#"("abc"):gsub("", "", 2)"#, #""abc", 2"#),
            (#"collect(("one two  three"):gmatch("%a+"))"#, #""{\"one\"} {\"two\"} {\"three\"}""#),
            (#"collect(("k1=v1, k2=v2"):gmatch("(%w+)=(%w+)"))"#, #""{\"k1\", \"v1\"} {\"k2\", \"v2\"}""#),
            (#"collect(("abc"):gmatch(""))"#, #""{\"\"} {\"\"} {\"\"} {\"\"}""#),
            (#"collect(("abc"):gmatch("()"))"#, #""{1} {2} {3} {4}""#),
            (#"collect(("hello world"):gmatch("o", 6))"#, #""{\"o\"}""#),
            (#"collect(("hello world"):gmatch("%a+", -5))"#, #""{\"world\"}""#),
            (#"collect(("abc"):gmatch(".", 10))"#, #""""#),
            (#"collect(("a^b^c"):gmatch("^."))"#, #""{\"^b\"} {\"^c\"}""#),
            (#"collect(("abab"):gmatch("b*"))"#, #""{\"\"} {\"b\"} {\"b\"}""#),
            (#"collect(string.gmatch("1,2;3", "[^,;]+"))"#, #""{\"1\"} {\"2\"} {\"3\"}""#),
            (#"string.find("abc", "b", nil, nil)"#, #"2, 2"#),
            (#"string.find(123, 2)"#, #"2, 2"#),
            (#"string.match(12.5, "%.(%d)")"#, #""5""#),
            (#"string.gsub("hello", "l", 1.5)"#, #""he1.51.5o", 2"#),
            (#"pcall(string.match, "a", "%")"#, #"false, "malformed pattern (ends with '%')""#),
            (#"pcall(string.match, "a", "[a")"#, #"false, "malformed pattern (missing ']')""#),
            (#"pcall(string.match, "a", "[a%")"#, #"false, "malformed pattern (missing ']')""#),
            (#"pcall(string.match, "a", "[^")"#, #"false, "malformed pattern (missing ']')""#),
            (#"pcall(string.match, "a", "%f")"#, #"false, "missing '[' after '%f' in pattern""#),
            (#"pcall(string.match, "a", "%fa")"#, #"false, "missing '[' after '%f' in pattern""#),
            (#"pcall(string.match, "a", "%b")"#, #"false, "malformed pattern (missing arguments to '%b')""#),
            (#"pcall(string.match, "a", "%ba")"#, #"false, "malformed pattern (missing arguments to '%b')""#),
            (#"pcall(string.match, "a", "(a")"#, #"false, "unfinished capture""#),
            (#"pcall(string.find, "a", "(()")"#, #"false, "unfinished capture""#),
            (#"pcall(string.match, "a", "a)")"#, #"false, "invalid pattern capture""#),
            (#"pcall(string.match, "aa", "(a)%2")"#, #"false, "invalid capture index %2""#),
            (#"pcall(string.match, "aa", "(a%1)")"#, #"false, "invalid capture index %1""#),
            (#"pcall(string.match, "a", "%0")"#, #"false, "invalid capture index %0""#),
            (#"pcall(string.gsub, "abc", "(b)", "%2")"#, #"false, "invalid capture index %2""#),
            (#"pcall(string.gsub, "abc", "b", "%9")"#, #"false, "invalid capture index %9""#),
            (#"pcall(string.gsub, "abc", "b", "%x")"#, #"false, "invalid use of '%' in replacement string""#),
            (#"pcall(string.gsub, "abc", "b", "100%")"#, #"false, "invalid use of '%' in replacement string""#),
            (#"pcall(string.gsub, "abc", "b", {b = {}})"#, #"false, "invalid replacement value (a table)""#),
            (#"pcall(string.gsub, "abc", "b", function() return true end)"#, #"false, "invalid replacement value (a boolean)""#),
            (#"pcall(string.gsub, "abc", "b")"#, #"false, "bad argument #3 to 'string.gsub' (string/function/table expected, got no value)""#),
            (#"pcall(string.gsub, "abc", "b", "x", "n")"#, #"false, "bad argument #4 to 'string.gsub' (number expected, got string)""#),
            (#"pcall(string.find, "abc", "b", "x")"#, #"false, "bad argument #3 to 'string.find' (number expected, got string)""#),
            (#"pcall(string.find, "abc", "b", 1.5)"#, #"false, "bad argument #3 to 'string.find' (number has no integer representation)""#),
            (#"pcall(string.match, nil, "x")"#, #"false, "bad argument #1 to 'string.match' (string expected, got nil)""#),
            (#"pcall(string.match, "x")"#, #"false, "bad argument #2 to 'string.match' (string expected, got no value)""#),
            (#"pcall(string.gmatch, "x", {})"#, #"false, "bad argument #2 to 'string.gmatch' (string expected, got table)""#),
            (#"pcall(string.match, string.rep("a", 40), string.rep("(a)", 33))"#, #"false, "too many captures""#),
            (#"pcall(string.match, string.rep("a", 300), string.rep("a?", 300))"#, #"false, "pattern too complex""#),
            (#"pcall(string.match, string.rep("a", 300), string.rep("(", 20) .. "a" .. string.rep(")", 20))"#, #"true, "a", "a", "a", "a", "a", "a", "a", "a", "a", "a", "a", "a", "a", "a", "a", "a", "a", "a", "a", "a""#),
            (#"pcall(string.find, string.rep("x", 250), string.rep("x?", 250) .. "$")"#, #"false, "pattern too complex""#),
            (#"pcall(string.gsub, "abc", "%w", "%1")"#, #"true, "abc", 3"#),
            (#"pcall(string.gsub, "abc", "(%w)", "%0%1")"#, #"true, "aabbcc", 3"#),
        ]

        @Test(arguments: cases)
        func behavesLikeLua(_ expression: String, _ expected: String) throws {
            let payload = JSONValue.obj(["expression": .string(expression)]).serialized(.compact)
            let result = try Self.shared.get().invoke(call("eval", payload))
            #expect(result.payload == JSONValue.string(expected).serialized(.compact), "\(expression)")
        }

        @Test func theMethodFormAndTheLibraryAreTheSameFunctions() throws {
            let host = try host(
                """
                gateway.lambda("probe", function()
                  local mt = getmetatable("")
                  return mt.__index == string and ("x").match == string.match and ("x").gsub == string.gsub
                    and ("x").find == string.find and ("x").gmatch == string.gmatch
                end)
                """)
            #expect(host.invoke(call("probe")).payload == "true")
        }

        // MARK: Pathological patterns

        static let pathological = #"""
            local lazySubject, lazy = ("a"):rep(5000), "(.-)(.-)(.-)(.-)b"
            local greedySubject, greedy = string.rep("a", 30) .. "!", ("a*"):rep(30) .. "b"
            gateway.lambda("lazy", function() return lazySubject:match(lazy) end)
            gateway.lambda("greedy", function() return greedySubject:match(greedy) end)
            gateway.lambda("find", function() return string.find(greedySubject, greedy) end)
            gateway.lambda("gmatch", function() for x in greedySubject:gmatch(greedy) do end end)
            gateway.lambda("gsub", function() return (lazySubject:gsub(lazy, "x")) end)
            gateway.lambda("caught", function()
              while true do pcall(string.match, lazySubject, lazy) end
            end)
            gateway.lambda("coroutine", function()
              return coroutine.wrap(function() return lazySubject:match(lazy) end)()
            end)
            gateway.lambda("plain", function()
              return ("a"):rep(1 << 20):find(("a"):rep(1 << 19) .. "b", 1, true)
            end)
            gateway.lambda("backreference", function() return ("a"):rep(200000):match("(a*)%1b") end)
            gateway.lambda("balanced", function() return ("("):rep(1000000):find("%b()") end)
            gateway.lambda("set", function() return ("b"):rep(100000):find("[" .. ("a"):rep(50000) .. "]") end)
            gateway.lambda("heavy", function() return tostring(("a"):rep(3000):match("a*b")) end)
            gateway.lambda("echo", function(event) return event end)
            """#

        @Test(arguments: ["lazy", "greedy", "find", "gmatch", "gsub", "caught", "coroutine", "plain", "backreference", "balanced", "set"])
        func pathologicalPatternTimesOutWithinASecond(_ function: String) throws {
            let host = try host(Self.pathological)
            let start = Date()
            let result = host.invoke(call(function))
            let elapsed = Date().timeIntervalSince(start)
            #expect(result.outcome == .timedOut(afterMillis: 3000))
            #expect(result.durationMillis == 3000)
            #expect(elapsed < 1, "\(function) took \(elapsed) s")
            #expect(host.invoke(call("echo", #"{"after":"pattern"}"#)).payload == #"{"after":"pattern"}"#)
        }

        @Test func matchingCostsInstructions() throws {
            // About nine million matcher steps: it finishes, but the simulated time shows the work.
            let host = try host(Self.pathological)
            let result = host.invoke(call("heavy"))
            #expect(result.payload == #""nil""#)
            #expect(result.durationMillis > 100)
        }

        @Test func smallBudgetStopsAMatchThatABigOneFinishes() throws {
            let source = #"gateway.lambda("m", function() return #(("a"):rep(3000):match("a*b") or "") end)"#
            #expect(try host(source).invoke(call("m")).payload == "0")
            #expect(try host(source, limits: LuaLimits(instructionBudget: 1_000_000)).invoke(call("m")).outcome == .timedOut(afterMillis: 3000))
        }

        @Test func pathologicalPatternAtLoadIsALoadError() throws {
            let host = try LuaHost()
            #expect(throws: LuaHostError(
                file: "plugins/pattern.lua", message: "ran out of instructions while loading (budget 50000000)",
                hint: "a plugin's top level runs once, when it loads: look there for an endless loop, and do the work in a handler")
            ) {
                try host.loadPlugin(source: #"local x = ("a"):rep(5000):match("(.-)(.-)(.-)(.-)b")"#, chunkName: "plugins/pattern.lua")
            }
            try host.loadPlugin(source: #"gateway.lambda("ok", function() return ("ok"):match("%a+") end)"#, chunkName: "plugins/ok.lua")
            #expect(host.invoke(call("ok")).payload == #""ok""#)
        }

        @Test(arguments: ["lazy", "greedy", "plain"])
        func interruptCancelsARunningMatch(_ function: String) throws {
            // A budget of many seconds, so only the flag can stop the match.
            let host = try host(Self.pathological, limits: LuaLimits(instructionBudget: 50_000_000_000))
            gwsh_clear_interrupt()
            let raiser = Thread {
                Thread.sleep(forTimeInterval: 0.2)
                gwsh_raise_interrupt()
            }
            raiser.start()
            let start = Date()
            let result = host.invoke(call(function))
            #expect(result.outcome == .cancelled)
            #expect(Date().timeIntervalSince(start) < 2)
            #expect(gwsh_interrupt_pending() == 0)
            #expect(host.invoke(call("echo", "true")).payload == "true")
        }

        // MARK: Malformed patterns

        @Test(arguments: [
            (#"("a"):match("%")"#, "malformed pattern (ends with '%')"),
            (#"("a"):find("[a")"#, "malformed pattern (missing ']')"),
            (#"("a"):gmatch("%f")()"#, "missing '[' after '%f' in pattern"),
            (#"("a"):gsub("%b", "")"#, "malformed pattern (missing arguments to '%b')"),
            (#"("a"):match("(a")"#, "unfinished capture"),
            (#"("a"):match("a)")"#, "invalid pattern capture"),
            (#"("aa"):match("(a)%2")"#, "invalid capture index %2"),
            (#"("a"):gsub("a", "%2")"#, "invalid capture index %2"),
            (#"("a"):gsub("a", "%z")"#, "invalid use of '%' in replacement string"),
            (#"("a"):rep(40):match(("(a)"):rep(33))"#, "too many captures"),
            (#"("a"):rep(300):match(("a?"):rep(300))"#, "pattern too complex"),
        ])
        func malformedPatternIsAFunctionError(_ expression: String, _ message: String) throws {
            let host = try host("gateway.lambda(\"bad\", function() return \(expression) end)")
            let error = host.invoke(call("bad")).error
            #expect(error?["errorMessage"] == .string(message))
            #expect(error?["errorType"] == "Error")
        }
    }
}

/// Library loops in C that neither the instruction budget nor Ctrl-C could stop (the sandbox guards them).
@Suite struct UnstoppableLoopTests {
    @Test func emptyStringRepeatedHugeTimesIsImmediate() throws {
        let host = try LuaHost()
        try host.loadPlugin(source: #"gateway.lambda("rep", function() return #string.rep("", math.maxinteger) + #(""):rep(math.maxinteger, "") end)"#, chunkName: "plugins/rep.lua")
        let start = Date()
        let r = host.invoke(LambdaInvocation(functionName: "rep", payload: "{}", awsRequestId: "r", functionArn: "a", timeoutMillis: 3000, nowMillis: 0))
        #expect(r.outcome == .success(payload: "0"))
        #expect(Date().timeIntervalSince(start) < 1)
    }

    @Test func hugeTableMoveIsAFunctionError() throws {
        let host = try LuaHost()
        try host.loadPlugin(source: #"gateway.lambda("move", function() table.move({}, 1, math.maxinteger - 1, 2) end)"#, chunkName: "plugins/move.lua")
        let start = Date()
        let r = host.invoke(LambdaInvocation(functionName: "move", payload: "{}", awsRequestId: "r", functionArn: "a", timeoutMillis: 3000, nowMillis: 0))
        guard case .functionError(let error, _) = r.outcome else { Issue.record("expected a function error, got \(r.outcome)"); return }
        #expect(error["errorMessage"]?.stringValue == "table.move: too many elements to move (at most 67108864)")
        #expect(Date().timeIntervalSince(start) < 1)
    }

    @Test func ordinaryRepAndMoveStillWork() throws {
        let host = try LuaHost()
        try host.loadPlugin(source: #"gateway.lambda("ok", function() local t = table.move({1, 2, 3}, 1, 3, 2) return string.rep("ab", 3, "-") .. #t end)"#, chunkName: "plugins/ok.lua")
        let r = host.invoke(LambdaInvocation(functionName: "ok", payload: "{}", awsRequestId: "r", functionArn: "a", timeoutMillis: 3000, nowMillis: 0))
        #expect(r.outcome == .success(payload: #""ab-ab-ab4""#))
    }
}
