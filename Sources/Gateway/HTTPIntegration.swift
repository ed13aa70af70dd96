import GatewayModel

/// The non-proxy HTTP integration (type `HTTP`): the integration request built from the URI, the template output
/// and the request overrides; the call to a backend of the model; the endpoint log lines.
enum HTTPIntegration {
    /// Simulated network latency of a backend call when the backend sets none (`latencyMillis` in the model,
    /// `latencyMillis` in a Lua backend's answer).
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

    static func request(_ x: Exchange, _ env: GatewayEnvironment, integration: Integration, stage: Stage, body: String,
                        mapped: ParameterMapping.Mapped) throws(GatewayFailure) -> BackendRequest {
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
        // `{name}` in the URI takes integration.request.path.name (mapping.md §1.2), then
        // $context.requestOverride.path.name (mapping.md §4.4 rule 46).
        var pathValues = mapped.path
        for (k, v) in x.requestOverride["path"]?.objectValue ?? JSONObject() {
            // The override wins over a mapping of the same name, as it does for query and headers.
            pathValues.removeAll { $0.0 == k }
            pathValues.append((k, v.stringValue ?? v.serialized()))
        }
        for (k, v) in pathValues {
            parts.path = parts.path.replacingOccurrences(of: "{\(k)}", with: QueryString.encodePath(v))
            parts.query = Substring(String(parts.query).replacingOccurrences(of: "{\(k)}", with: QueryString.encode(v)))
        }
        // Query mappings add to the query the URI has (mapping.md §1.3 rule 6 [REC]); HTTP_PROXY forwards the
        // client's query as well (same rule).
        var query = QueryString.parse(parts.query).map { (name: $0.name, value: $0.value) }
        if integration.type == .httpProxy { query += x.query.map { (name: $0.name, value: $0.value) } }
        for (k, v) in mapped.query { query.append((k, v)) }
        for (k, v) in x.requestOverride["querystring"]?.objectValue ?? JSONObject() {
            query.removeAll { $0.name == k }
            query.append((k, v.stringValue ?? v.serialized()))
        }
        // A non-proxy HTTP integration forwards no client header: only its own, plus mapped ones (mapping.md §1.3
        // rule 9 [REC no-param-integration]). Content-Type and Accept are assumptions (not in the recording).
        guard let api = x.apiId.flatMap({ env.restApi(id: $0) }) else {
            throw GatewayFailure(.apiConfigurationError, why: "no API for this request")
        }
        var headers: HeaderFields
        if integration.type == .httpProxy {
            headers = proxyHeaders(x, apiId: api.id, backendHost: parts.host, body: body)
        } else {
            // HTTP: the gateway's own Accept and User-Agent, whatever the client sent [REC http/backend-request-and-response-headers].
            headers = HeaderFields([("Host", parts.host), ("User-Agent", "AmazonAPIGateway_\(api.id)"), ("X-Amzn-Apigateway-Api-Id", api.id),
                                    ("Accept", "application/json"), ("X-Amzn-Trace-Id", x.traceRoot)])
            if !body.isEmpty {
                headers.add("Content-Type", "application/json")
                headers.add("Content-Length", String(body.utf8.count))
            }
        }
        // Mapped headers replace the gateway's own of the same name (rule 5 [REC]); some never arrive (rule 9).
        for (k, v) in mapped.headers where !ParameterMapping.droppedHTTPHeaders.contains(k.lowercased()) { headers.set(k, v) }
        for (k, v) in x.requestOverride["header"]?.objectValue ?? JSONObject() { headers.set(k, v.stringValue ?? v.serialized()) }
        let method = (integration.httpMethod ?? x.request.method).uppercased()
        // `{name}` left in the path (no mapping gave it a value) reaches the backend as written (assumption).
        let url = parts.scheme + "://" + parts.host + parts.port + parts.path
            + (query.isEmpty ? "" : "?" + query.map { QueryString.encode($0.name) + "=" + QueryString.encode($0.value) }.joined(separator: "&"))
        return BackendRequest(method: method == "ANY" ? x.request.method : method, url: url, host: parts.host, path: parts.path,
                              query: query, headers: headers, body: body)
    }

    /// HTTP_PROXY forwards the method request's headers but hop-by-hop ones and those AWS was recorded not to
    /// pass (mapping.md §1.3 [REC http-proxy-no-mapping: Content-Encoding, Content-MD5, Max-Forwards, Server,
    /// Trailer, Upgrade, WWW-Authenticate not forwarded; Connection, Expect, Proxy-Authenticate, TE,
    /// Transfer-Encoding, Via never seen]), with Host set to the backend and X-Amzn-Apigateway-Api-Id added.
    static let notForwarded: Set<String> = [
        "content-encoding", "content-md5", "max-forwards", "server", "trailer", "upgrade", "www-authenticate",
        "connection", "expect", "proxy-authenticate", "te", "transfer-encoding", "via", "host", "content-length",
    ]

    static func proxyHeaders(_ x: Exchange, apiId: String, backendHost: String, body: String) -> HeaderFields {
        var h = HeaderFields()
        for f in x.methodRequestHeaders where !notForwarded.contains(f.name.lowercased()) { h.add(f.name, f.value) }
        h.add("Host", backendHost)
        h.add("Content-Length", String(body.utf8.count))
        h.add("X-Amzn-Apigateway-Api-Id", apiId)
        return h
    }

    static func call(_ x: inout Exchange, _ env: GatewayEnvironment, integration: Integration, stage: StageName) throws(GatewayFailure) {
        try call(&x, env, timeoutMillis: integration.timeoutInMillis, typeName: integration.type.rawValue, stage: stage)
    }

    /// Calls the backend of `x.backendRequest` (REST HTTP/HTTP_PROXY, HTTP API HTTP_PROXY).
    static func call(_ x: inout Exchange, _ env: GatewayEnvironment, timeoutMillis: Int, typeName: String, stage: StageName) throws(GatewayFailure) {
        guard let req = x.backendRequest else { return }
        let t = env.clock.millis
        x.log.append(LogLine(millis: t, text: AWSLog.endpointRequestURI(req.url)))
        x.log.append(.truncated(millis: t) { AWSLog.endpointRequestHeaders(AWSLog.javaMap(req.headers.map { ($0.name, $0.value) })) })
        x.log.append(.truncated(millis: t) { AWSLog.endpointRequestBody(req.body) })
        x.log.append(LogLine(millis: t, text: AWSLog.sendingRequest(req.url)))
        var response: BackendResponse
        var latency = latencyMillis
        var notes: [(String, String)] = []
        if let backend = env.world.backend(host: req.host) {
            response = Backends.call(backend, req, date: env.clock.httpDate)
            if let l = backend.latencyMillis { latency = l }
        } else if let lua = env.lambda, lua.hasFunction(Backends.luaFunctionName(host: req.host)) {
            // A Lua backend (gateway.backend): a failing handler answers like a crashing web server would, 500
            // with the error as text (simulation choice); running out of time is the integration timeout below.
            let name = Backends.luaFunctionName(host: req.host)
            let result = lua.invoke(LambdaInvocation(functionName: name, payload: req.json.serialized(), awsRequestId: env.ids.uuid(),
                                                     functionArn: name, timeoutMillis: lua.functionTimeoutMillis(name) ?? 29000,
                                                     nowMillis: env.clock.millis))
            for (i, line) in result.logs.enumerated() { notes.append(("log[\(i)]", line)) }
            latency += result.durationMillis
            switch result.outcome {
            case .success(let payload):
                if let l = (try? JSONValue.parse(payload))?["latencyMillis"]?.intValue, (0...3_600_000).contains(l) { latency = l + result.durationMillis }
                response = Backends.parseLuaAnswer(payload)
                    ?? BackendResponse(status: 500, headers: HeaderFields([("Content-Type", "text/plain")]),
                                       body: "gateway.backend \(req.host): the handler's answer is not {status, headers, body}: \(payload)")
            case .functionError(let error, _):
                response = BackendResponse(status: 500, headers: HeaderFields([("Content-Type", "text/plain")]),
                                           body: error["errorMessage"]?.stringValue ?? error.serialized())
            case .timedOut(let after):
                latency = max(latency, after, timeoutMillis &+ 1)
                response = BackendResponse(status: 504, headers: HeaderFields(), body: "")
            case .cancelled:
                x.cancelWhile("the backend \(req.host)", stage: stage, millis: env.clock.millis)
                return
            }
            response = Backends.withServerHeaders(response, date: env.clock.httpDate)
        } else {
            // No such host: a network error (rest-request-flow.md §1.6 [REC U11]; the log line is UNCONFIRMED).
            env.clock.advance(millis: Int64(latencyMillis))
            x.trace.append(TraceEvent(stage: stage, millis: env.clock.millis, outcome: .failed, summary: "\(req.method) \(req.url): no backend answers for \(req.host)",
                                      fields: [("type", typeName), ("url", req.url)]))
            throw GatewayFailure(.integrationFailure,
                                 why: "no backend named \(req.host): neither the model's `backends:` nor a plugin's gateway.backend(\"\(req.host)\", …) has it; API Gateway cannot reach the endpoint and answers 504 (rest-request-flow.md §1.6)")
        }
        if latency > timeoutMillis {
            // API Gateway stops waiting: 504 Endpoint request timed out (rest-request-flow.md §1.6).
            env.clock.advance(millis: Int64(timeoutMillis))
            throw GatewayFailure(.integrationTimeout, why: "the backend \(req.host) needs \(latency) ms but the integration's timeoutInMillis is \(timeoutMillis)")
        }
        env.clock.advance(millis: Int64(latency))
        let now = env.clock.millis
        x.integrationStatus = String(response.status)
        x.integrationResponseBody = response.body
        x.integrationResponseHeaders = response.headers
        x.log.append(LogLine(millis: now, text: AWSLog.receivedResponse(status: response.status, latencyMillis: latency)))
        let answer = response
        x.log.append(.truncated(millis: now) { AWSLog.endpointResponseHeaders(AWSLog.javaMap(answer.headers.map { ($0.name, $0.value) })) })
        x.log.append(.truncated(millis: now) { AWSLog.endpointResponseBody(answer.body) })
        x.trace.append(TraceEvent(stage: stage, millis: now, summary: "\(req.method) \(req.url) → \(response.status), \(response.body.utf8.count) bytes in \(latency) ms",
                                  fields: [("type", typeName), ("url", req.url), ("method", req.method), ("requestBody", req.body),
                                           ("status", String(response.status)), ("body", response.body)] + notes))
    }

    /// HTTP_PROXY: the backend's status, headers and body go to the client; its headers with reserved names come
    /// back as x-amzn-Remapped-NAME (rest-request-flow.md §4.1 rule 65 [REC]), and API Gateway adds no
    /// X-Amzn-Trace-Id of its own (§4.1 table, REGIONAL HTTP_PROXY [REC]).
    static func proxyResponse(_ x: inout Exchange, _ env: GatewayEnvironment, stage: StageName) {
        guard let status = x.integrationStatus.flatMap(Int.init) else { return }
        let body = x.integrationResponseBody ?? ""
        var headers = HeaderFields()
        for f in x.integrationResponseHeaders where f.name.lowercased() != "transfer-encoding" {
            headers.add(EdgeHeaders.remapped(f.name), f.value)
        }
        if !headers.contains("Content-Type") { headers.add("Content-Type", "application/json") }  // assumption, as for Lambda proxy
        for (k, v) in ResponseHeaders.gateway(x, env, contentLength: body.utf8.count, error: false, traceId: false) { headers.add(k, v) }
        let t = env.clock.millis
        let answered = x.integrationResponseHeaders
        x.log.append(.truncated(millis: t) { AWSLog.methodResponseBody(body) })
        x.log.append(.truncated(millis: t) { AWSLog.methodResponseHeaders(AWSLog.javaMap(answered.map { ($0.name, $0.value) })) })
        x.log.append(LogLine(millis: t, text: AWSLog.successfullyCompleted))
        x.log.append(LogLine(millis: t, text: AWSLog.methodCompleted(status: status)))
        x.response = GatewayHTTPResponse(status: status, headers: headers, body: Array(body.utf8))
        x.trace.append(TraceEvent(stage: stage, millis: t, summary: "proxy response: status \(status), " + Plural.count(x.integrationResponseHeaders.count, "header") + ", body " + Plural.count(body.utf8.count, "byte"),
                                  fields: [("status", String(status)), ("body", body)],
                                  why: "HTTP_PROXY passes the backend's answer through; integration responses do not apply (mapping.md §3.1)"))
    }
}
