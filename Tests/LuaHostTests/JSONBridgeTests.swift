import Gateway
import GatewayModel
import LuaHost
import Testing

extension LuaHostTests {
    @Suite struct JSONBridge {
        static let source = #"""
            gateway.lambda("echo", function(event) return event end)
            gateway.lambda("reencode", function(event) return json.decode(json.encode(event)) end)
            gateway.lambda("values", function()
              return {
                integer = 7, float = 2.5, whole = 3.0, negative = -1, big = 1e300,
                yes = true, no = false, none = json.null, text = "tab\t\"quote\" \\ é ✓ 😀",
                list = { 1, "two", { three = 3 } }, empty = {}, emptyList = json.array(),
              }
            end)
            gateway.lambda("nothing", function() end)
            gateway.lambda("string", function() return "Pass" end)
            gateway.lambda("inspect", function(event)
              return {
                isNull = event.value == json.null, nullText = tostring(json.null),
                integer = math.type(event.n), float = math.type(event.f), length = #event.list,
              }
            end)
            gateway.lambda("decodeError", function(event)
              local ok, message = pcall(json.decode, event.text)
              return message
            end)
            gateway.lambda("function", function() return { f = print } end)
            gateway.lambda("mixed", function() return { 1, 2, x = 3 } end)
            gateway.lambda("gap", function() return { [1] = "a", [3] = "c" } end)
            gateway.lambda("cycle", function() local t = {} t.self = t return t end)
            gateway.lambda("encodeError", function()
              local ok, message = pcall(json.encode, { f = print })
              return message
            end)
            """#

        @Test(arguments: [
            #"{"a":[1,2.5,null,{"b":[]}],"c":{},"d":true,"e":"héllo \"q\"\n✓ 😀","f":-3,"g":[[]]}"#,
            "[]", "{}", "null", "[null,null]", #""just a string""#, "12", "1.5", "false",
        ])
        func roundTrip(_ json: String) throws {
            let host = try host(Self.source)
            #expect(host.invoke(call("echo", json)).payload == json)
            #expect(host.invoke(call("reencode", json)).payload == json)
        }

        @Test func deepNestingRoundTripsUpToTheParsersLimit() throws {
            let deep = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
            #expect(try host(Self.source).invoke(call("echo", deep)).payload == deep)
        }

        @Test func luaValuesEncodeAsJSON() throws {
            #expect(
                try host(Self.source).invoke(call("values")).payload
                    == #"{"big":1e+300,"empty":{},"emptyList":[],"float":2.5,"integer":7,"list":[1,"two",{"three":3}],"negative":-1,"no":false,"none":null,"text":"tab\t\"quote\" \\ é ✓ 😀","whole":3.0,"yes":true}"#
            )
        }

        @Test func nilAndStringsAreJSONValues() throws {
            let host = try host(Self.source)
            #expect(host.invoke(call("nothing")).payload == "null")
            #expect(host.invoke(call("string")).payload == #""Pass""#)
        }

        @Test func decodedValuesHaveLuaTypes() throws {
            let result = try host(Self.source).invoke(call("inspect", #"{"value":null,"n":3,"f":3.0,"list":[1,2,3]}"#))
            #expect(result.payload == #"{"float":"float","integer":"integer","isNull":true,"length":3,"nullText":"null"}"#)
        }

        @Test func badJSONRaisesWithLineAndColumn() throws {
            let result = try host(Self.source).invoke(call("decodeError", #"{"text":"{\"a\": }"}"#))
            #expect(result.payload == #""json.decode: invalid JSON at line 1, column 7: expected a value (object, list, string, number, true, false or null)""#)
        }

        @Test(arguments: [
            ("function", "cannot encode a function value as JSON"),
            ("mixed", "cannot encode a table that mixes list items and string keys as JSON"),
            ("gap", "cannot encode a list with a gap as JSON (index 3 where 2 was expected)"),
            ("cycle", "a table contains itself"),
        ])
        func unencodableResultIsAMarshalError(_ function: String, _ reason: String) throws {
            let result = try host(Self.source).invoke(call(function))
            #expect(result.outcome == .functionError(
                error: .obj(["errorMessage": .string("Unable to marshal response: \(reason)"), "errorType": "Runtime.MarshalError", "stackTrace": []]),
                kind: "Unhandled"))
        }

        @Test func encodeRaisesForUnencodableValues() throws {
            let result = try host(Self.source).invoke(call("encodeError"))
            #expect(result.payload == #""json.encode: cannot encode a function value as JSON""#)
        }
    }

    @Suite struct Invocation {
        @Test func printIsCapturedIntoTheLogs() throws {
            let host = try host(
                """
                print("loading")
                gateway.lambda("chatty", function(event)
                  print("a", 1, nil, true, 2.5)
                  print()
                  print(json.null, event.n)
                  return "done"
                end)
                """)
            let result = host.invoke(call("chatty", #"{"n":5}"#))
            #expect(result.payload == #""done""#)
            #expect(result.logs == ["a\t1\tnil\ttrue\t2.5", "", "null\t5"])
            #expect(host.invoke(call("chatty", #"{"n":6}"#)).logs == ["a\t1\tnil\ttrue\t2.5", "", "null\t6"])
        }

        @Test func loadReturnsWhatThePluginPrinted() throws {
            let host = try LuaHost()
            #expect(try host.loadPlugin(source: #"print("hello", 42)"#, chunkName: "plugins/hello.lua") == ["hello\t42"])
        }

        @Test func contextHasLambdaFields() throws {
            let host = try host(
                """
                gateway.lambda("context", function(event, context)
                  return {
                    awsRequestId = context.awsRequestId, functionName = context.functionName,
                    invokedFunctionArn = context.invokedFunctionArn, memoryLimitInMB = context.memoryLimitInMB,
                    functionVersion = context.functionVersion, remaining = math.type(context.getRemainingTimeInMillis()),
                  }
                end)
                """)
            #expect(
                host.invoke(call("context")).payload
                    == #"{"awsRequestId":"c6af9ac6-7b61-11e6-9a41-93e8deadbeef","functionName":"context","functionVersion":"$LATEST","invokedFunctionArn":"arn:aws:lambda:us-east-1:111111111111:function:context","memoryLimitInMB":128,"remaining":"integer"}"#
            )
        }

        @Test func remainingTimeFallsAsTheFunctionWorks() throws {
            let host = try host(
                """
                gateway.lambda("work", function(event, context)
                  local before = context.getRemainingTimeInMillis()
                  local n = 0
                  for i = 1, 1000000 do n = n + i end
                  return { before = before, after = context.getRemainingTimeInMillis() }
                end, { timeout = 5 })
                """)
            let result = host.invoke(call("work"))
            let before = try #require(result.payload.flatMap { try? JSONValue.parse($0) }?["before"]?.intValue)
            let after = try #require(result.payload.flatMap { try? JSONValue.parse($0) }?["after"]?.intValue)
            #expect(before == 5000)
            #expect(after < before)
            #expect(after > 4900)
            #expect(result.durationMillis == 1 + (5000 - after))
        }

        @Test func durationIsDeterministic() throws {
            let source = """
                gateway.lambda("work", function()
                  local n = 0
                  for i = 1, 300000 do n = n + i end
                  return n
                end)
                """
            let first = try host(source).invoke(call("work"))
            let second = try host(source).invoke(call("work"))
            #expect(first.durationMillis == second.durationMillis)
            #expect(first.durationMillis > 1)
        }
    }
}
