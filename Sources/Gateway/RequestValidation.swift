import GatewayModel

/// Method request validation by a request validator (rest-request-flow.md §1.5; mapping.md §1.4).
enum RequestValidation {
    static func validate(x: inout Exchange, env: GatewayEnvironment, api: RestApi, method: Method, validator: RequestValidator,
                         stage: StageName) throws(GatewayFailure) {
        let t = env.clock.millis
        if validator.validateRequestParameters {
            // Required parameters must be present and non-blank (rule 19). The recorded message lists header, path,
            // query — which is also the order of the full parameter keys; gwsh sorts by key (order UNCONFIRMED).
            let missing = method.requestParameters.filter(\.required).map(\.name).sorted().filter { key in
                let parts = key.split(separator: ".", maxSplits: 3).map(String.init)
                guard parts.count == 4 else { return false }
                let value: String?
                switch parts[2] {
                case "path": value = x.pathParameters.first { $0.name == parts[3] }?.value
                case "querystring", "multivaluequerystring": value = x.query.last { $0.name == parts[3] }?.value
                case "header", "multivalueheader": value = x.methodRequestHeaders[parts[3]]
                default: value = nil
                }
                return (value ?? "").trimmingCharacters(in: .whitespaces).isEmpty
            }.map { String($0.split(separator: ".", maxSplits: 3).last ?? "") }
            if !missing.isEmpty {
                throw GatewayFailure(.badRequestParameters, message: "Missing required request parameters: [\(missing.joined(separator: ", "))]",
                                     why: "request validator '\(validator.name)' checks parameters and \(missing.joined(separator: ", ")) \(missing.count == 1 ? "is" : "are") required but absent or blank (rest-request-flow.md §1.5 rule 19)")
            }
        }
        guard validator.validateRequestBody else {
            x.trace.append(TraceEvent(stage: stage, millis: t, summary: "request validator '\(validator.name)': parameters valid",
                                      fields: [("validator", validator.name)]))
            return
        }
        // The model for the request's content type; no Content-Type reads as application/json (rule 20 [REC]).
        let contentType = MediaType.essence(x.request.headers["Content-Type"]) ?? "application/json"
        guard let modelName = method.requestModels.first(where: { $0.contentType.lowercased() == contentType })?.model,
              let model = api.models[modelName] else {
            // No model for this content type (or the built-in Empty): nothing to check (assumption).
            x.trace.append(TraceEvent(stage: stage, millis: t, summary: "request validator '\(validator.name)': no model for \(contentType), body not checked",
                                      fields: [("validator", validator.name)]))
            return
        }
        let text = x.request.bodyText ?? ""
        let problems: [String]
        if let body = try? JSONValue.parse(text) {
            problems = env.schema(model, in: api).validate(body).map(\.description)
        } else {
            // No body or not JSON: "Unknown error parsing request body" (rule 21, probable) — a GET with no body fails too [REC].
            problems = [AWSLog.unknownErrorParsingBody]
        }
        guard problems.isEmpty else {
            throw GatewayFailure(.badRequestBody,
                                 logLine: AWSLog.bodyDoesNotMatchModel(contentType: contentType, errors: problems.joined(separator: ", ")),
                                 why: "request validator '\(validator.name)' checks the body against model \(modelName) (JSON Schema draft 4): \(problems.joined(separator: "; ")) (rest-request-flow.md §1.5 rule 20)")
        }
        x.trace.append(TraceEvent(stage: stage, millis: t, summary: "request validator '\(validator.name)': the body matches model \(modelName)",
                                  fields: [("validator", validator.name), ("model", modelName)]))
    }
}
