/// The embedded default model (MODEL.md, "The embedded default model"): what `gwsh` loads with no argument
/// and what every session file starts from. Its plugin is embedded too, so the binary needs no files.
public enum DefaultModel {
    public static let name = "<default model>"

    public static let yaml = """
        # The embedded default model: a small REST "orders" API (MODEL.md).
        region: us-east-1
        account: "111111111111"
        plugins: [plugins/orders.lua]
        restApis:
          - id: rohkz08x02
            name: orders
            resources:
              /orders:
                GET:
                  authorizationType: NONE
                  integration: { type: AWS_PROXY, httpMethod: POST, uri: "lambda:orders" }
                POST:
                  authorizationType: NONE
                  integration: { type: AWS_PROXY, httpMethod: POST, uri: "lambda:orders" }
              /orders/{id}:
                id: f646q2
                GET:
                  authorizationType: NONE
                  methodResponses: { "200": {} }
                  integration:
                    type: MOCK
                    requestTemplates: { application/json: '{"statusCode": 200}' }
                    integrationResponses:
                      "200": { statusCode: "200", responseTemplates: { application/json: '{"id": "$input.params(''id'')", "status": "shipped"}' } }
            stages:
              - stageName: dev

        """

    /// plugins/orders.lua, embedded; a test keeps it identical to the file in the repository.
    public static let ordersPluginPath = "plugins/orders.lua"
    public static let embeddedPlugins: [String: String] = [ordersPluginPath: ordersLua]
}
