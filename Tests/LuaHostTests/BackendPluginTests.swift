import Foundation
import Gateway
import GatewayModel
import LuaHost
import Testing

extension LuaHostTests {
    /// `gateway.backend(host, handler)`: HTTP backends written in Lua, reached by HTTP integrations.
    @Suite struct BackendPlugins {
        static let plugin = """
            gateway.backend("Echo.Internal", function(request)
              return { status = 201, headers = { ["X-Path"] = request.path }, body = { method = request.method, q = request.query.q } }
            end)
            gateway.backend("broken.internal", function(request) error("database down") end)
            gateway.backend("odd.internal", function(request) return { status = "404", body = "nf" } end)
            gateway.lambda("fn", function(event) return 1 end)
            """

        @Test func registersHostsApartFromFunctions() throws {
            let host = try LuaHost()
            _ = try host.loadPlugin(source: Self.plugin, chunkName: "plugins/backends.lua")
            #expect(host.functionNames == ["fn"])
            #expect(host.backendHosts == ["broken.internal", "echo.internal", "odd.internal"])
        }

        @Test(arguments: [
            ("gateway.backend('bad host', function() end)", "gateway.backend: the host must be a DNS name such as inventory.internal"),
            ("gateway.backend('a.internal', 42)", "gateway.backend: the handler of 'a.internal' must be a function(request)"),
            ("gateway.backend('a.internal', function() end)\ngateway.backend('A.internal', function() end)",
             "gateway.backend: 'A.internal' is registered twice in plugins/b.lua"),
        ])
        func badRegistrationsFailTheLoad(_ source: String, _ message: String) throws {
            let host = try LuaHost()
            do {
                _ = try host.loadPlugin(source: source, chunkName: "plugins/b.lua")
                Issue.record("the load should have failed")
            } catch {
                #expect(error.message == message)
            }
        }

        /// End to end: an HTTP integration reaches the Lua backend; a failing handler answers 500 like a crashing
        /// server, which the integration response then maps like any backend status.
        @Test func httpIntegrationsReachLuaBackends() throws {
            let host = try LuaHost()
            _ = try host.loadPlugin(source: Self.plugin, chunkName: "plugins/backends.lua")
            let world = try ModelLoader.load(text: """
                restApis:
                  - id: lu4b4ck3nd
                    resources:
                      /x:
                        GET:
                          integration:
                            type: HTTP_PROXY
                            httpMethod: GET
                            uri: http://echo.internal/path?q=1
                      /y:
                        GET:
                          integration:
                            type: HTTP
                            httpMethod: GET
                            uri: http://broken.internal/
                            integrationResponses: { "200": {}, "502": { selectionPattern: '5\\d{2}' } }
                          methodResponses: { "200": {}, "502": {} }
                      /z:
                        GET:
                          integration: { type: HTTP, httpMethod: GET, uri: "http://odd.internal/", integrationResponses: { "200": {} } }
                          methodResponses: { "200": {} }
                    stages: [{ stageName: dev }]
                """, file: "m.yaml", baseDirectory: nil)
            let env = GatewayEnvironment(world: world, lambda: host)
            let x = env.send(ClientRequest(method: "GET", rawPath: "/dev/x"))
            #expect(x.response?.status == 201)
            #expect(x.response?.headers["X-Path"] == "/path")
            #expect(x.response?.bodyText == #"{"method":"GET","q":["1"]}"#)
            let y = env.send(ClientRequest(method: "GET", rawPath: "/dev/y"))
            #expect(y.response?.status == 502)
            #expect(y.integrationResponseBody?.contains("database down") == true)
            // A status that is not a whole number is a broken answer (a 500 from the backend), never a silent 200.
            let z = env.send(ClientRequest(method: "GET", rawPath: "/dev/z"))
            #expect(z.events(for: .integration).last?.field("status") == "500")
            #expect(z.integrationResponseBody?.contains("status must be a whole number") == true)
        }
    }
}
