import Crypto
import Foundation
/// AWS's own strings — execution-log messages and Lambda error texts — in one place, each citing the
/// reference section it comes from. Stages call these; no stage spells an AWS string itself.
public enum AWSLog {
    // Usage-plan lines; with no key the key's place stays empty and both spaces remain (throttling.md §8.4,
    // rest-request-flow.md §5.6 rule 93).
    public static func verifyingUsagePlan(requestId: String, maskedKey: String, apiId: String, stage: String) -> String {
        "Verifying Usage Plan for request: \(requestId). API Key: \(maskedKey) API Stage: \(apiId)/\(stage)"
    }
    public static func keyNotRequired(maskedKey: String, method: String, resourcePath: String) -> String {
        "API Key \(maskedKey) authorized because method '\(method) \(resourcePath)' does not require API Key. Request will not contribute to throttle or quota limits"
    }
    public static func usagePlanSucceeded(maskedKey: String, apiId: String, stage: String) -> String {
        "Usage Plan check succeeded for API Key \(maskedKey) and API Stage \(apiId)/\(stage)"
    }
    /// A key-required method and a key in no plan for the stage (throttling.md §8.3 [REC L2, L6]).
    public static func keyNotAuthorized(maskedKey: String, method: String, resourcePath: String, apiId: String, stage: String,
                                        stageInAPlan: Bool) -> String {
        "API Key \(maskedKey) not authorized because method '\(method) \(resourcePath)' requires API Key and API Key is not associated with a Usage Plan for API Stage \(apiId)/\(stage): "
            + (stageInAPlan ? "No Usage Plan found for key and API Stage" : "API Stage is not in a Usage Plan")
    }
    /// The seed's throttle line (throttling.md §8.1 [SEED]).
    public static func keyThrottled(maskedKey: String, apiId: String, stage: String, planId: String, resourceId: String,
                                    method: String, rate: Double, burst: Int) -> String {
        "API Key \(maskedKey) exceeded throttle limit for API Stage \(apiId)/\(stage): Key throttle limit exceeded for Usage Plan ID \(planId), RestApi \(apiId), Stage \(stage), Resource \(resourceId), HttpMethod \(method). Limit: \(twoDecimals(rate)) Burst: \(burst)"
    }
    /// A stage method-setting throttle (throttling.md §8.1 [REC L8]).
    public static func stageThrottled(apiId: String, stage: String, resourceId: String, method: String, rate: Double, burst: Int) -> String {
        "Key throttle limit exceeded for RestApi \(apiId), Stage \(stage), Resource \(resourceId), HttpMethod \(method). Limit: \(twoDecimals(rate)) Burst: \(burst)"
    }
    /// The seed's quota line, without the article's stray "Q" (throttling.md §8.1 [SEED] [REC L4]).
    public static func quotaExceeded(maskedKey: String, apiId: String, stage: String, planId: String, limit: Int, period: String) -> String {
        "API Key \(maskedKey) exceeded quota limit for API Stage \(apiId)/\(stage): Key quota exhausted for Usage Plan ID \(planId). Limit: \(limit) Period: \(period)"
    }
    /// After `HTTP Method:` for a request with a key (throttling.md §8.5 [REC L1]).
    public static func apiKeyLine(_ maskedKey: String) -> String { "API Key: \(maskedKey)" }

    // Lambda authorizer lines, CloudWatch only (rest-request-flow.md §5.6 rules 93, 95 [REC U9]); the masking of
    // the token and principalId is UNCONFIRMED: gwsh masks them as it masks API keys.
    public static func startingAuthorizer(_ authorizerId: String, requestId: String) -> String { "Starting authorizer: \(authorizerId) for request: \(requestId)" }
    public static func incomingIdentity(_ maskedToken: String) -> String { "Incoming identity: \(maskedToken)" }
    public static func authorizerResultBody(_ body: String) -> String { "Authorizer result body before parsing: \(body)" }
    public static func usingAuthorizerPolicy(maskedPrincipal: String) -> String { "Using valid authorizer policy for principal: \(maskedPrincipal)" }
    public static let authorizerSucceeded = "Successfully completed authorizer execution"
    /// A Lambda authorizer's configuration error: this line, then the exception name (rule 97 [REC policy.md P21]).
    public static let authorizerConfigurationError = "Execution failed due to configuration error: Authorizer error"
    /// `X-Amz-Source-Arn` of the authorizer's call (rule 95).
    public static func authorizerSourceArn(region: String, account: String, apiId: String, authorizerId: String) -> String {
        "arn:aws:execute-api:\(region):\(account):\(apiId)/authorizers/\(authorizerId)"
    }

    /// `5.00`: a rate with two decimals, as the seed prints it.
    public static func twoDecimals(_ v: Double) -> String {
        let cents = Int64((v * 100).rounded())
        let frac = cents % 100
        return "\(cents / 100).\(frac < 10 ? "0" : "")\(frac)"
    }

    // Method request lines (rest-request-flow.md §5.3, §5.4).
    public static func extendedRequestId(_ id: String) -> String { "Extended Request Id: \(id)" }
    public static func startingExecution(_ requestId: String) -> String { "Starting execution for request: \(requestId)" }
    public static func httpMethod(_ method: String, resourcePath: String) -> String { "HTTP Method: \(method), Resource Path: \(resourcePath)" }
    public static func methodRequestPath(_ map: String) -> String { "Method request path: \(map)" }
    public static func methodRequestQuery(_ map: String) -> String { "Method request query string: \(map)" }
    public static func methodRequestHeaders(_ map: String) -> String { "Method request headers: \(map)" }
    // An empty body keeps the trailing space after the colon (rule 82).
    public static func methodRequestBody(_ body: String) -> String { "Method request body before transformations: \(body)" }

    // Endpoint lines (rules 83–85, 90).
    public static func endpointRequestURI(_ uri: String) -> String { "Endpoint request URI: \(uri)" }
    public static func endpointRequestHeaders(_ map: String) -> String { "Endpoint request headers: \(map)" }
    public static func endpointRequestBody(_ body: String) -> String { "Endpoint request body after transformations: \(body)" }
    public static func sendingRequest(_ uri: String) -> String { "Sending request to \(uri)" }
    public static func receivedResponse(status: Int, latencyMillis: Int) -> String {
        "Received response. Status: \(status), Integration latency: \(latencyMillis) ms"
    }
    public static func endpointResponseHeaders(_ map: String) -> String { "Endpoint response headers: \(map)" }
    public static func endpointResponseBody(_ body: String) -> String { "Endpoint response body before transformations: \(body)" }

    // Method response lines.
    public static func methodResponseBody(_ body: String) -> String { "Method response body after transformations: \(body)" }
    public static func methodResponseHeaders(_ map: String) -> String { "Method response headers: \(map)" }
    public static let successfullyCompleted = "Successfully completed execution"
    public static func methodCompleted(status: Int) -> String { "Method completed with status: \(status)" }

    // Failures (rest-request-flow.md §1.6, §5.4 rule 87, §5.6 rule 97; lambda-payloads.md §2.3 rule 26).
    public static let malformedProxyResponse = "Execution failed due to configuration error: Malformed Lambda proxy response"
    public static func lambdaFunctionError(message: String, lambdaRequestId: String) -> String {
        "Lambda execution failed with status 200 due to customer function error: \(message). Lambda request id: \(lambdaRequestId)"
    }
    /// A Lambda integration whose function cannot be invoked (rest-request-flow.md §1.6 [DOC D13]). gwsh uses it
    /// for a function no plugin registers too — an assumption: the missing-function text is UNCONFIRMED.
    public static let invalidLambdaPermissions = "Execution failed due to configuration error: Invalid permissions on Lambda function"
    public static func noOutputMapping(status: String) -> String {
        "Execution failed due to configuration error: No match for output mapping and no default output mapping configured. Endpoint Response Status Code: \(status)"
    }
    public static func invalidMethodResponse(status: String) -> String {
        "Execution failed due to configuration error: Output mapping refers to an invalid method response: \(status)"
    }
    /// Request validation (rest-request-flow.md §1.5 rule 21; from user console transcripts, probable).
    public static func bodyDoesNotMatchModel(contentType: String, errors: String) -> String {
        "Request body does not match model schema for content type \(contentType): [\(errors)]"
    }
    public static let unknownErrorParsingBody = "Unknown error parsing request body"
    /// An HTTP integration whose URI does not resolve to an endpoint (rest-request-flow.md §5.6 rule 97 [REC LS]).
    public static let invalidEndpointAddress = "Execution failed due to configuration error: Invalid endpoint address"
    /// LocalStack's wording for a MOCK template without a readable statusCode ([3P], UNCONFIRMED on AWS; mapping.md §3.1).
    public static let unableToParseStatusCode = "Execution failed due to configuration error: Unable to parse statusCode."

    // CloudWatch-only trailers, with the space before the colon (rule 93).
    public static func integrationEndpointRequestId(_ id: String) -> String { "AWS Integration Endpoint RequestId : \(id)" }
    public static func xrayTracingId(_ id: String) -> String { "X-ray Tracing ID : \(id)" }

    /// Messages longer than 1024 characters are cut there and ` [TRUNCATED]` appended (rule 80).
    public static func truncated(_ s: String) -> String {
        // At most 1,024 UTF-8 bytes is at most 1,024 characters: no need to count them.
        s.utf8.count <= 1024 || s.count <= 1024 ? s : String(s.prefix(1024)) + " [TRUNCATED]"
    }

    /// Java's `Map.toString()`: `{}` or `{k1=v1, k2=v2}`, no quoting (rule 79).
    public static func javaMap(_ pairs: [(String, String)]) -> String {
        "{" + pairs.map { "\($0.0)=\($0.1)" }.joined(separator: ", ") + "}"
    }

    /// Masking of API keys and `Authorization` values: every character `*` except the last 6, length kept
    /// (throttling.md §8.2; rest-request-flow.md §5.2 rule 81).
    public static func mask(_ s: String) -> String {
        let n = s.count
        guard n > 6 else { return s }
        var out = [UInt8](repeating: UInt8(ascii: "*"), count: n - 6)
        out += s.suffix(6).utf8
        return String(decoding: out, as: UTF8.self)
    }
}

/// Lambda's own texts.
public enum LambdaText {
    /// A function that ran out of time: `<ISO date> <request id> Task timed out after 3.00 seconds`
    /// (rest-request-flow.md §5.6 rule 98).
    public static func taskTimedOut(isoDate: String, requestId: String, afterMillis: Int) -> String {
        "\(isoDate) \(requestId) Task timed out after \(String(format: "%.2f", Double(afterMillis) / 1000)) seconds"
    }
    /// Lambda's default function timeout when a plugin sets none.
    public static let defaultTimeoutMillis = 3000
    /// The Lambda invoke URL that `Endpoint request URI` shows (rest-request-flow.md §5.4).
    public static func invokeURL(region: String, account: String, function: String) -> String {
        "https://lambda.\(region).amazonaws.com/2015-03-31/functions/\(functionArn(region: region, account: account, function: function))/invocations"
    }
    public static func functionArn(region: String, account: String, function: String) -> String {
        "arn:aws:lambda:\(region):\(account):function:\(function)"
    }
}



/// An unmatched route with an `Authorization` header that is not SigV4 answers 403
/// `IncompleteSignatureException` instead of Missing Authentication Token (rest-request-flow.md §2.1 rule 37;
/// policy.md §5 table).
enum IncompleteSignature {
    static func failure(_ headers: HeaderFields) -> GatewayFailure? {
        guard let value = headers["Authorization"] else { return nil }
        let parts = value.split(separator: " ", maxSplits: 1).map(String.init)
        let message: String
        if parts.count == 2, parts[0] == "Bearer" {
            // `Bearer <token>`: the current wording hashes the value [REC P9]; whether AWS hashes the whole header
            // value or only the token is UNCONFIRMED — gwsh hashes the whole value.
            let hash = Data(SHA256.hash(data: Array(value.utf8))).base64EncodedString()
            message = "Invalid key=value pair (missing equal-sign) in Authorization header (hashed with SHA-256 and encoded with Base64): '\(hash)'."
        } else {
            // One check per missing part, joined by ". ", ending `Authorization=<value>` [REC P10].
            if parts.first == "AWS4-HMAC-SHA256", value.contains("Credential="), value.contains("Signature="),
               value.contains("SignedHeaders="), headers.contains("X-Amz-Date") || headers.contains("Date") {
                return nil  // a complete SigV4 header: the route's own answer stands (SigV4 is checked with IAM auth)
            }
            var missing: [String] = []
            if !value.contains("Credential=") { missing.append("Authorization header requires 'Credential' parameter.") }
            if !value.contains("Signature=") { missing.append("Authorization header requires 'Signature' parameter.") }
            if !value.contains("SignedHeaders=") { missing.append("Authorization header requires 'SignedHeaders' parameter.") }
            if !headers.contains("X-Amz-Date") && !headers.contains("Date") {
                missing.append("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.")
            }
            message = missing.joined(separator: " ") + " Authorization=" + value
        }
        return GatewayFailure(.missingAuthenticationToken, message: message, errorType: "IncompleteSignatureException",
                              why: "no method matches, and the request carries an Authorization header that is not a valid SigV4 signature: API Gateway answers IncompleteSignatureException instead of Missing Authentication Token (rest-request-flow.md §2.1 rule 37)")
    }
}
