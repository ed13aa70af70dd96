import Gateway
import GatewayModel
import LuaHost
import Testing

extension LuaHostTests {
    @Suite struct ErrorMapping {
        static let source = """
            gateway.lambda("fail", function(event)
              if event.kind == "string" then
                error("boom")
              elseif event.kind == "table" then
                error({ errorMessage = "Error: Raising 400 from within the Lambda function", errorType = "Exception", code = 42 })
              elseif event.kind == "untyped" then
                error({ errorMessage = "no type" })
              elseif event.kind == "level0" then
                error("no position", 0)
              elseif event.kind == "runtime" then
                return event.missing.field
              end
              local function helper() error("deep") end
              helper()
            end)
            """

        @Test func stringErrorMovesThePositionIntoTheStackTrace() throws {
            let result = try host(Self.source).invoke(call("fail", #"{"kind":"string"}"#))
            #expect(
                result.errorJSON
                    == #"{"errorMessage":"boom","errorType":"Error","stackTrace":["plugins/test.lua:3","plugins/test.lua:3: in function <plugins/test.lua:1>"]}"#
            )
        }

        @Test func tracebackListsEveryPluginFrame() throws {
            let result = try host(Self.source).invoke(call("fail", #"{"kind":"nested"}"#))
            #expect(
                result.errorJSON
                    == #"{"errorMessage":"deep","errorType":"Error","stackTrace":["plugins/test.lua:13","plugins/test.lua:13: in local 'helper'","plugins/test.lua:14: in function <plugins/test.lua:1>"]}"#
            )
        }

        @Test func tableErrorIsTheErrorObjectAsGiven() throws {
            let result = try host(Self.source).invoke(call("fail", #"{"kind":"table"}"#))
            #expect(result.outcome == .functionError(
                error: .obj(["code": 42, "errorMessage": "Error: Raising 400 from within the Lambda function", "errorType": "Exception"]),
                kind: "Unhandled"))
        }

        @Test func tableErrorWithoutATypeIsAnError() throws {
            let result = try host(Self.source).invoke(call("fail", #"{"kind":"untyped"}"#))
            #expect(result.errorJSON == #"{"errorMessage":"no type","errorType":"Error"}"#)
        }

        @Test func errorWithoutAPositionKeepsItsMessage() throws {
            let result = try host(Self.source).invoke(call("fail", #"{"kind":"level0"}"#))
            #expect(
                result.errorJSON
                    == #"{"errorMessage":"no position","errorType":"Error","stackTrace":["plugins/test.lua:9: in function <plugins/test.lua:1>"]}"#
            )
        }

        @Test func runtimeErrorIsAnError() throws {
            let result = try host(Self.source).invoke(call("fail", #"{"kind":"runtime"}"#))
            #expect(
                result.errorJSON
                    == #"{"errorMessage":"attempt to index a nil value (field 'missing')","errorType":"Error","stackTrace":["plugins/test.lua:11","plugins/test.lua:11: in function <plugins/test.lua:1>"]}"#
            )
        }

        @Test func errorInsideACoroutineKeepsItsOwnPosition() throws {
            let result = try host(
                """
                gateway.lambda("co", function()
                  local step = coroutine.wrap(function() error("in co") end)
                  step()
                end)
                """
            ).invoke(call("co"))
            #expect(
                result.errorJSON
                    == #"{"errorMessage":"in co","errorType":"Error","stackTrace":["plugins/test.lua:2","[C]: in local 'step'","plugins/test.lua:3: in function <plugins/test.lua:1>"]}"#
            )
        }

        @Test func preludeFramesShowTheirNameOnly() throws {
            let result = try host(
                """
                gateway.lambda("print", function()
                  print(setmetatable({}, { __tostring = function() error("no text") end }))
                end)
                """
            ).invoke(call("print"))
            #expect(
                result.errorJSON
                    == #"{"errorMessage":"no text","errorType":"Error","stackTrace":["plugins/test.lua:2","plugins/test.lua:2: in function <plugins/test.lua:2>","[C]: in function 'tostring'","[gwsh]: in function 'print'","plugins/test.lua:2: in function <plugins/test.lua:1>"]}"#
            )
        }

        @Test func longPluginPathsAreShortenedAsLuaShortensThem() throws {
            let path = "/home/someone/projects/api-gateway-workshop/sessions/models/../../plugins/failing.lua"
            let host = try LuaHost()
            try host.loadPlugin(source: #"gateway.lambda("fail", function() error("boom") end)"#, chunkName: path)
            let trace = host.invoke(call("fail")).error?["stackTrace"]?.arrayValue
            // Lua keeps the last 56 characters of a long chunk name (LUA_IDSIZE).
            #expect(trace?.first == "...teway-workshop/sessions/models/../../plugins/failing.lua:1")
            #expect(host.invoke(call("fail")).error?["errorMessage"] == "boom")
        }

        @Test func otherErrorValuesAreDescribed() throws {
            let host = try host(
                """
                gateway.lambda("number", function() error(42) end)
                gateway.lambda("nothing", function() error() end)
                """)
            #expect(host.invoke(call("number")).error?["errorMessage"] == "42")
            #expect(host.invoke(call("nothing")).error?["errorMessage"] == "(error object is a nil value)")
        }

        @Test func unknownFunctionIsResourceNotFound() throws {
            let host = try host(#"gateway.lambda("known", function() end)"#)
            #expect(!host.hasFunction("unknown"))
            #expect(
                host.invoke(call("unknown")).errorJSON
                    == #"{"errorMessage":"Function not found: arn:aws:lambda:us-east-1:111111111111:function:unknown","errorType":"ResourceNotFoundException"}"#
            )
        }

        @Test func payloadThatIsNotJSONIsRejected() throws {
            let host = try host(#"gateway.lambda("known", function() end)"#)
            #expect(host.invoke(call("known", "{nope")).error?["errorType"] == "InvalidRequestContentException")
        }
    }
}
