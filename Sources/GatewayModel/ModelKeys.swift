/// The keys each part of a model may have: AWS's own field names (botocore's `apigateway` shapes RestApi,
/// Resource, Method, Integration, IntegrationResponse, MethodResponse, Stage, GatewayResponse) plus gwsh's
/// own top-level keys (MODEL.md, loading rules). A key in `known` that is not in `simulated` is accepted and
/// reported as "not simulated yet"; any other key is an error with a "did you mean".
struct KeySet {
    let known: [String]
    let simulated: Set<String>
}

enum ModelKeys {
    static let top = KeySet(
        known: ["region", "account", "plugins", "settings", "restApis", "httpApis", "usagePlans", "identities", "vpcEndpoints",
                "dns", "certificates", "domainNames", "cloudFront", "backends"],
        simulated: ["region", "account", "plugins", "restApis", "httpApis", "backends", "usagePlans", "settings", "identities", "vpcEndpoints",
                    "dns", "certificates", "domainNames", "cloudFront"])

    static let settings = KeySet(known: ["throttle"], simulated: ["throttle"])
    static let throttle = KeySet(known: ["rateLimit", "burstLimit"], simulated: ["rateLimit", "burstLimit"])
    static let quota = KeySet(known: ["limit", "period", "offset"], simulated: ["limit", "period", "offset"])
    /// botocore's UsagePlan, ApiStage and ApiKey shapes, plus `apiKeys` inside the plan (MODEL.md).
    static let usagePlan = KeySet(known: ["id", "name", "description", "apiStages", "throttle", "quota", "productCode", "tags", "apiKeys"],
                                  simulated: ["id", "name", "description", "apiStages", "throttle", "quota", "tags", "apiKeys"])
    static let apiStage = KeySet(known: ["apiId", "stage", "throttle"], simulated: ["apiId", "stage", "throttle"])
    static let apiKey = KeySet(known: ["id", "name", "value", "enabled", "description", "customerId", "createdDate", "lastUpdatedDate", "stageKeys", "tags"],
                               simulated: ["id", "name", "value", "enabled", "description", "customerId", "createdDate", "lastUpdatedDate", "tags"])
    static let methodSetting = KeySet(
        known: ["throttlingRateLimit", "throttlingBurstLimit", "metricsEnabled", "loggingLevel", "dataTraceEnabled", "cachingEnabled",
                "cacheTtlInSeconds", "cacheDataEncrypted", "requireAuthorizationForCacheControl", "unauthorizedCacheControlHeaderStrategy"],
        simulated: ["throttlingRateLimit", "throttlingBurstLimit", "metricsEnabled", "loggingLevel", "dataTraceEnabled"])

    /// gwsh's own: an HTTP backend stand-in, as the conformance corpus writes them (`backends` of a case).
    static let backend = KeySet(known: ["status", "headers", "body", "behaviour", "latencyMillis"],
                                simulated: ["status", "headers", "body", "behaviour", "latencyMillis"])

    static let restApi = KeySet(
        known: ["id", "name", "description", "createdDate", "version", "warnings", "binaryMediaTypes",
                "minimumCompressionSize", "apiKeySource", "endpointConfiguration", "policy", "tags",
                "disableExecuteApiEndpoint", "rootResourceId", "requestValidators", "models", "authorizers",
                "gatewayResponses", "resources", "stages", "rootResource"],
        simulated: ["id", "name", "description", "endpointConfiguration", "binaryMediaTypes", "resources", "stages",
                    "disableExecuteApiEndpoint", "gatewayResponses", "requestValidators", "models", "apiKeySource", "policy", "authorizers",
                    "tags", "createdDate", "version", "rootResourceId", "warnings"])

    /// botocore's GatewayResponse shape.
    static let gatewayResponse = KeySet(known: ["responseType", "statusCode", "responseParameters", "responseTemplates", "defaultResponse"],
                                        simulated: ["responseType", "statusCode", "responseParameters", "responseTemplates", "defaultResponse"])

    /// The REST API's gateway response types (botocore's GatewayResponseType enum; rest-request-flow.md §3.1 rule 48).
    static let gatewayResponseTypes = [
        "DEFAULT_4XX", "DEFAULT_5XX", "RESOURCE_NOT_FOUND", "UNAUTHORIZED", "INVALID_API_KEY", "ACCESS_DENIED",
        "AUTHORIZER_FAILURE", "AUTHORIZER_CONFIGURATION_ERROR", "INVALID_SIGNATURE", "EXPIRED_TOKEN",
        "MISSING_AUTHENTICATION_TOKEN", "INTEGRATION_FAILURE", "INTEGRATION_TIMEOUT", "API_CONFIGURATION_ERROR",
        "UNSUPPORTED_MEDIA_TYPE", "BAD_REQUEST_PARAMETERS", "BAD_REQUEST_BODY", "REQUEST_TOO_LARGE", "THROTTLED",
        "QUOTA_EXCEEDED", "WAF_FILTERED",
    ]

    /// botocore's RequestValidator and Model shapes.
    static let requestValidator = KeySet(known: ["id", "name", "validateRequestBody", "validateRequestParameters"],
                                         simulated: ["id", "name", "validateRequestBody", "validateRequestParameters"])
    static let model = KeySet(known: ["id", "name", "description", "schema", "contentType"],
                              simulated: ["id", "name", "description", "schema", "contentType"])

    static let endpointConfiguration = KeySet(known: ["types", "vpcEndpointIds", "ipAddressType"], simulated: ["types", "ipAddressType"])

    static let httpMethods = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "ANY"]

    static let resource = KeySet(known: ["id", "parentId", "pathPart", "path"] + httpMethods,
                                 simulated: Set(["id", "parentId", "pathPart", "path"] + httpMethods))

    static let method = KeySet(
        known: ["httpMethod", "authorizationType", "authorizer", "authorizerId", "apiKeyRequired", "requestValidator",
                "requestValidatorId", "operationName", "requestParameters", "requestModels", "methodResponses",
                "integration", "methodIntegration", "authorizationScopes"],
        simulated: ["httpMethod", "authorizationType", "authorizer", "authorizerId", "apiKeyRequired", "methodResponses", "integration", "requestParameters",
                    "requestValidator", "requestValidatorId",
                    "methodIntegration", "operationName", "requestModels", "authorizationScopes"])

    static let integration = KeySet(
        known: ["type", "httpMethod", "uri", "connectionType", "connectionId", "credentials", "requestParameters",
                "requestTemplates", "passthroughBehavior", "contentHandling", "timeoutInMillis", "cacheNamespace",
                "cacheKeyParameters", "integrationResponses", "tlsConfig", "responseTransferMode", "integrationTarget"],
        simulated: ["type", "httpMethod", "uri", "connectionType", "requestTemplates", "passthroughBehavior", "requestParameters", "contentHandling",
                    "timeoutInMillis", "cacheNamespace", "cacheKeyParameters", "integrationResponses"])

    static let integrationResponse = KeySet(
        known: ["statusCode", "selectionPattern", "responseParameters", "responseTemplates", "contentHandling"],
        simulated: ["statusCode", "selectionPattern", "responseTemplates", "responseParameters", "contentHandling"])

    static let methodResponse = KeySet(known: ["statusCode", "responseParameters", "responseModels"],
                                       simulated: ["statusCode", "responseParameters", "responseModels"])

    static let stage = KeySet(
        known: ["stageName", "variables", "methodSettings", "description", "deploymentId", "cacheClusterEnabled",
                "cacheClusterSize", "cacheClusterStatus", "tracingEnabled", "accessLogSettings", "canarySettings",
                "clientCertificateId", "documentationVersion", "webAclArn", "tags", "createdDate", "lastUpdatedDate",
                "autoDeploy"],
        simulated: ["stageName", "variables", "description", "deploymentId", "tags", "createdDate", "lastUpdatedDate",
                    "autoDeploy", "tracingEnabled", "methodSettings"])
}
