import Gateway
import GatewayModel
import LuaHost
import Testing

extension LuaHostTests {
    /// plugins/status_codes.lua: the seed's REST status-code Lambda (reference/mapping.md §3.3).
    @Suite struct StatusCodesPlugin {
        func loaded() throws -> LuaHost {
            let host = try LuaHost()
            try host.loadPlugin(path: pluginPath("status_codes.lua"), displayName: "plugins/status_codes.lua")
            return host
        }

        @Test func registersStatusCodes() throws {
            #expect(try loaded().functionNames == ["status-codes"])
        }

        @Test(arguments: [("400", "sample 400"), ("500", "sample 500")])
        func sampleErrorsRaiseTheSeedsErrorObject(_ status: String, _ value: String) throws {
            let result = try loaded().invoke(call("status-codes", #"{"error":"\#(value)"}"#))
            #expect(result.outcome == .functionError(
                error: .obj(["errorMessage": .string("Error: Raising \(status) from within the Lambda function"), "errorType": "Exception"]),
                kind: "Unhandled"))
        }

        @Test(arguments: ["{}", #"{"error":""}"#])
        func noErrorPasses(_ event: String) throws {
            #expect(try loaded().invoke(call("status-codes", event)).payload == #""Pass""#)
        }

        @Test func otherValuesExplainThemselves() throws {
            #expect(
                try loaded().invoke(call("status-codes", #"{"error":"sample 404"}"#)).payload
                    == #""Error Value in the json request should either be 400 or 500 to demonstrate""#)
        }
    }

    /// plugins/orders.lua: the default model's Lambda proxy handler for POST and GET /orders.
    @Suite struct OrdersPlugin {
        func loaded() throws -> LuaHost {
            let host = try LuaHost()
            try host.loadPlugin(path: pluginPath("orders.lua"), displayName: "plugins/orders.lua")
            return host
        }

        func event(_ method: String, body: String? = nil) -> String {
            let body: JSONValue = body.map { .string($0) } ?? .null
            let event: JSONValue = .obj(["resource": "/orders", "path": "/orders", "httpMethod": .string(method), "body": body, "isBase64Encoded": false])
            return event.serialized(.compact)
        }

        func response(_ status: Int, _ body: String) -> String {
            JSONValue.obj(["body": .string(body), "headers": .obj(["Content-Type": "application/json"]), "statusCode": .int(status)]).serialized(.compact)
        }

        @Test func listIsEmptyAtFirst() throws {
            #expect(try loaded().invoke(call("orders", event("GET"))).payload == response(200, "[]"))
        }

        @Test func postCreatesOrdersWithIdsInOrderAndGetListsThem() throws {
            let host = try loaded()
            #expect(
                host.invoke(call("orders", event("POST", body: #"{"item":"book","quantity":2}"#))).payload
                    == response(201, #"{"id":"1","item":"book","quantity":2,"status":"pending"}"#))
            #expect(
                host.invoke(call("orders", event("POST", body: #"{"item":"pen","quantity":1.0}"#))).payload
                    == response(201, #"{"id":"2","item":"pen","quantity":1,"status":"pending"}"#))
            #expect(
                host.invoke(call("orders", event("GET"))).payload
                    == response(200, #"[{"id":"1","item":"book","quantity":2,"status":"pending"},{"id":"2","item":"pen","quantity":1,"status":"pending"}]"#))
        }

        @Test(arguments: [
            (nil, "the body must be a JSON object with item and quantity"),
            ("not json", "the body must be a JSON object with item and quantity"),
            ("[1,2]", "item must be a non-empty string"),
            (#"{"quantity":1}"#, "item must be a non-empty string"),
            (#"{"item":"","quantity":1}"#, "item must be a non-empty string"),
            (#"{"item":"book"}"#, "quantity must be a positive integer"),
            (#"{"item":"book","quantity":0}"#, "quantity must be a positive integer"),
            (#"{"item":"book","quantity":1.5}"#, "quantity must be a positive integer"),
            (#"{"item":"book","quantity":"2"}"#, "quantity must be a positive integer"),
        ] as [(String?, String)])
        func invalidOrdersAreA400WithAMessage(_ body: String?, _ message: String) throws {
            let host = try loaded()
            #expect(host.invoke(call("orders", event("POST", body: body))).payload == response(400, #"{"message":"\#(message)"}"#))
            #expect(host.invoke(call("orders", event("GET"))).payload == response(200, "[]"))
        }

        @Test func otherMethodsAreRefused() throws {
            #expect(
                try loaded().invoke(call("orders", event("DELETE"))).payload
                    == response(405, #"{"message":"orders accepts GET and POST, not DELETE"}"#))
        }
    }
}
