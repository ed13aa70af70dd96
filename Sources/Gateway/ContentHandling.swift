import Foundation
import GatewayModel

/// Payload conversions between text and binary for non-proxy integrations (reference/mapping.md §3.6 rules 37–38
/// [DOC D5]): the request by its Content-Type and the integration's `contentHandling`, the response by the first
/// Accept type and the integration response's `contentHandling`, against the API's `binaryMediaTypes`.
enum ContentHandling {
    /// The integration request payload as text (what templates see and what passes through).
    /// - binary payload + CONVERT_TO_TEXT → its base64 text;
    /// - text payload + CONVERT_TO_BINARY → the base64-decoded bytes (not base64 → 500, rule 37);
    /// - otherwise the payload as it came.
    /// gwsh carries integration payloads as text: bytes that are not UTF-8 stop the request as not simulated
    /// rather than being altered (nothing is invented, nothing silently lost).
    static func requestPayload(_ x: inout Exchange, _ api: RestApi, _ integration: Integration, stage: StageName,
                               env: GatewayEnvironment) throws(GatewayFailure) -> String? {
        let bytes = x.request.body ?? []
        let type = MediaType.essence(x.request.headers["Content-Type"])
        let binary = type.map { MediaType.matches($0, any: api.binaryMediaTypes) } ?? false
        switch (binary, integration.contentHandling) {
        case (true, "CONVERT_TO_TEXT"?):
            let text = Data(bytes).base64EncodedString()
            x.trace.append(TraceEvent(stage: stage, millis: env.clock.millis, summary: "contentHandling CONVERT_TO_TEXT: the binary \(type ?? "") body becomes base64 text",
                                      fields: [("contentHandling", "CONVERT_TO_TEXT"), ("bytes", String(bytes.count))]))
            return text
        case (false, "CONVERT_TO_BINARY"?):
            let text = String(decoding: bytes, as: UTF8.self)
            guard let decoded = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
                throw GatewayFailure(.apiConfigurationError,
                                     why: "contentHandling CONVERT_TO_BINARY needs a base64 request body, and this one is not base64 (mapping.md §3.6 rule 37)")
            }
            return try asText(Array(decoded), &x, stage: stage, env: env, what: "the base64-decoded request body")
        default:
            return try asText(bytes, &x, stage: stage, env: env, what: binary ? "the binary request body" : "the request body")
        }
    }

    static func asText(_ bytes: [UInt8], _ x: inout Exchange, stage: StageName, env: GatewayEnvironment, what: String) throws(GatewayFailure) -> String? {
        guard let s = String(validating: bytes, as: UTF8.self) else {
            x.markUnsupported("\(what) is not UTF-8 text, and binary payloads to non-proxy integrations are not simulated yet (gwsh carries them as text)",
                              stage: stage, millis: env.clock.millis)
            return nil
        }
        return s
    }

    /// The method response body's bytes from the (transformed) integration response text:
    /// - CONVERT_TO_BINARY → base64-decoded;
    /// - no contentHandling and a binary first Accept type → base64-decoded (text data for a binary Accept);
    /// - otherwise the text as UTF-8.
    /// Text that should be decoded but is not base64 → 500 (rule 37; recorded for proxy responses, rule 38).
    static func responseBody(_ text: String, _ x: Exchange, _ api: RestApi, _ response: IntegrationResponse?) throws(GatewayFailure) -> (bytes: [UInt8], note: String?) {
        let accept = MediaType.firstAccepted(x.request.headers)
        let binaryAccept = accept.map { MediaType.matches($0, any: api.binaryMediaTypes) } ?? false
        let handling = response?.contentHandling
        let decode = handling == "CONVERT_TO_BINARY" || (handling == nil && binaryAccept)
        guard decode else { return (Array(text.utf8), nil) }
        guard let data = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw GatewayFailure(.apiConfigurationError,
                                 why: handling == "CONVERT_TO_BINARY"
                                    ? "the integration response's contentHandling is CONVERT_TO_BINARY but the body is not base64 (mapping.md §3.6 rule 37)"
                                    : "Accept \(accept ?? "") is one of the API's binaryMediaTypes, so API Gateway base64-decodes the text response, and it is not base64 (mapping.md §3.6 rule 37)")
        }
        let why = handling == "CONVERT_TO_BINARY" ? "contentHandling CONVERT_TO_BINARY" : "Accept \(accept ?? "") is a binary media type"
        return (Array(data), "\(why): the base64 text is decoded to \(data.count) bytes (mapping.md §3.6 rule 37)")
    }
}
