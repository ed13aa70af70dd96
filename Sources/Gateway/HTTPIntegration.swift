import GatewayModel

/// The non-proxy HTTP integration (type `HTTP`): the integration request built from the URI, the template output
/// and the request overrides; the call to a backend of the model; the endpoint log lines.
enum HTTPIntegration {
    /// Simulated latency of a backend call (a model-level setting would come with simulated latency, issue 4).
    static let latencyMillis = 12

    /// Substitutes `${stageVariables.NAME}` in an integration URI (mapping.md §1.1; a variable the stage does not
    /// define leaves no usable endpoint: 500, "Invalid endpoint address" [REC
    /// gateway-responses/undefined-stage-variable-in-uri-500]).
    static func substituteStageVariables(_ uri: String, stage: Stage) -> (uri: String, missing: [String]) {
        var out = "", missing: [String] = []
        var rest = Substring(uri)
        while let r = rest.range(of: "${stageVariables.") {
            out += rest[..<r.lowerBound]
            guard let close = rest[r.upperBound...].firstIndex(of: "}") else { out += rest[r.lowerBound...]; rest = ""; break }
            let name = String(rest[r.upperBound..<close])
            if let v = stage.variables.first(where: { $0.name == name })?.value { out += v } else { missing.append(name) }
            rest = rest[rest.index(after: close)...]
        }
        return (out + rest, missing)
    }

    static func request(_ x: Exchange, _ env: GatewayEnvironment, integration: Integration, stage: Stage, body: String) throws(GatewayFailure) -> BackendRequest {
        guard let rawURI = integration.uri else {
            throw GatewayFailure(.apiConfigurationError, logLine: AWSLog.invalidEndpointAddress,
                                 why: "the HTTP integration has no uri (at \(integration.location))")
        }
        let (uri, missing) = substituteStageVariables(rawURI, stage: stage)
        guard missing.isEmpty, var parts = Backends.split(uri) else {
            throw GatewayFailure(.apiConfigurationError, logLine: AWSLog.invalidEndpointAddress,
                                 why: missing.isEmpty
                                    ? "the integration uri \(uri) is not an http:// or https:// URL (at \(integration.location))"
                                    : "the integration uri uses stage variable\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", ")) that stage \(stage.stageName) does not define, so it names no endpoint (rest-request-flow.md §5.6 rule 97)")
        }
        // `{name}` in the path takes $context.requestOverride.path.name; integration.request.path mappings are the
        // REST fidelity work's (requestParameters is noted as not simulated).
        let pathOverrides = x.requestOverride["path"]?.objectValue ?? JSONObject()
        for (k, v) in pathOverrides { parts.path = parts.path.replacingOccurrences(of: "{\(k)}", with: v.stringValue ?? v.serialized()) }
        var query = QueryString.parse(parts.query).map { (name: $0.name, value: $0.value) }
        for (k, v) in x.requestOverride["querystring"]?.objectValue ?? JSONObject() {
            query.removeAll { $0.name == k }
            query.append((k, v.stringValue ?? v.serialized()))
        }
        // A non-proxy HTTP integration forwards no client header: only its own, plus mapped ones (mapping.md §1.3
        // rule 9 [REC no-param-integration]). Content-Type and Accept are assumptions (not in the recording).
        guard let api = x.apiId.flatMap({ env.world.restApi(id: $0) }) else {
            throw GatewayFailure(.apiConfigurationError, why: "no API for this request")
        }
        var headers = HeaderFields([("User-Agent", "AmazonAPIGateway_\(api.id)"), ("X-Amzn-Apigateway-Api-Id", api.id),
                                    ("X-Amzn-Trace-Id", x.traceRoot)])
        if !body.isEmpty { headers.add("Content-Type", "application/json") }
        for (k, v) in x.requestOverride["header"]?.objectValue ?? JSONObject() { headers.set(k, v.stringValue ?? v.serialized()) }
        let method = (integration.httpMethod ?? x.request.method).uppercased()
        let url = parts.scheme + "://" + parts.host + parts.path
            + (query.isEmpty ? "" : "?" + query.map { QueryString.encode($0.name) + "=" + QueryString.encode($0.value) }.joined(separator: "&"))
        return BackendRequest(method: method == "ANY" ? x.request.method : method, url: url, host: parts.host, path: parts.path,
                              query: query, headers: headers, body: body)
    }

    static func call(_ x: inout Exchange, _ env: GatewayEnvironment, integration: Integration, stage: StageName) throws(GatewayFailure) {
        guard let req = x.backendRequest else { return }
        let t = env.clock.millis
        x.log.append(LogLine(millis: t, text: AWSLog.endpointRequestURI(req.url)))
        x.log.append(LogLine(millis: t, text: AWSLog.truncated(AWSLog.endpointRequestHeaders(AWSLog.javaMap(req.headers.map { ($0.name, $0.value) })))))
        x.log.append(LogLine(millis: t, text: AWSLog.truncated(AWSLog.endpointRequestBody(req.body))))
        x.log.append(LogLine(millis: t, text: AWSLog.sendingRequest(req.url)))
        guard let backend = env.world.backend(host: req.host) else {
            // No such host: a network error (rest-request-flow.md §1.6 [REC U11]; the log line is UNCONFIRMED).
            env.clock.advance(millis: Int64(latencyMillis))
            x.trace.append(TraceEvent(stage: stage, millis: env.clock.millis, outcome: .failed, summary: "\(req.method) \(req.url): no backend answers for \(req.host)",
                                      fields: [("type", "HTTP"), ("url", req.url)]))
            throw GatewayFailure(.integrationFailure,
                                 why: "no backend named \(req.host) in the model (add it under `backends:`); API Gateway cannot reach the endpoint and answers 504 (rest-request-flow.md §1.6)")
        }
        let response = Backends.call(backend, req)
        if latencyMillis > integration.timeoutInMillis {
            env.clock.advance(millis: Int64(integration.timeoutInMillis))
            throw GatewayFailure(.integrationTimeout, why: "the backend needs \(latencyMillis) ms but timeoutInMillis is \(integration.timeoutInMillis)")
        }
        env.clock.advance(millis: Int64(latencyMillis))
        let now = env.clock.millis
        x.integrationStatus = String(response.status)
        x.integrationResponseBody = response.body
        x.integrationResponseHeaders = response.headers
        x.log.append(LogLine(millis: now, text: AWSLog.receivedResponse(status: response.status, latencyMillis: latencyMillis)))
        x.log.append(LogLine(millis: now, text: AWSLog.truncated(AWSLog.endpointResponseHeaders(AWSLog.javaMap(response.headers.map { ($0.name, $0.value) })))))
        x.log.append(LogLine(millis: now, text: AWSLog.truncated(AWSLog.endpointResponseBody(response.body))))
        x.trace.append(TraceEvent(stage: stage, millis: now, summary: "\(req.method) \(req.url) → \(response.status), \(response.body.utf8.count) bytes in \(latencyMillis) ms",
                                  fields: [("type", "HTTP"), ("url", req.url), ("method", req.method), ("requestBody", req.body),
                                           ("status", String(response.status)), ("body", response.body)]))
    }
}
