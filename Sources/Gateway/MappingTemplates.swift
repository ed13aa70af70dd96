import GatewayModel
import Templates

/// Mapping templates in the pipeline: the variables API Gateway gives a template (reference/mapping.md §4),
/// rendering with AWS's null rules, and the `requestOverride` / `responseOverride` maps that outlive a render.
public enum MappingTemplates {
    /// Headers a client sent that `$input.params()` cannot see (mapping.md §4.2 rule 41 [REC header remapping]).
    static let hiddenHeaders: Set<String> = [
        "connection", "content-length", "content-md5", "expect", "max-forwards", "proxy-authenticate", "server", "te",
        "transfer-encoding", "trailer", "upgrade", "www-authenticate",
    ]

    /// The variables of a template rendered for exchange `x`: `$input` over `payload`, `$util`, `$context`
    /// (with the overrides so far) and `$stageVariables`. Returns the context and the `$context` map, which the
    /// caller reads the overrides back from after rendering.
    public static func variables(for x: Exchange, env: GatewayEnvironment, payload: String) -> (VelocityContext, VelocityMap) {
        let api = x.apiId.flatMap { env.restApi(id: $0) }
        let stage = x.currentStage(env)
        // Repeated query keys: the last value, as in the proxy event's single-value map (assumption: AWS's choice
        // for $input.params() is UNCONFIRMED).
        var query: [(String, String)] = []
        for (k, v) in x.query {
            if let i = query.firstIndex(where: { $0.0 == k }) { query[i].1 = v } else { query.append((k, v)) }
        }
        let requestHeaders = x.methodRequestHeaders
        let input = GatewayInput(body: payload, path: x.pathParameters.map { ($0.name, $0.value) }, querystring: query, headers: {
            requestHeaders.grouped.filter { !hiddenHeaders.contains($0.name.lowercased()) }.map { ($0.name, $0.values.last ?? "") }
        })

        // $context is filled on first use (a template reads a few of its dozens of members).
        let requestOverride = x.requestOverride, responseOverride = x.responseOverride
        let contextMap = VelocityMap(lazy: {
            var context = JSONObject()
            if let api, let stage {
                context = LambdaProxy.requestContext(x, api: api, stage: stage, accountId: env.world.account,
                                                     requestTimeMillis: x.startMillis,
                                                     requestTime: VirtualClock(millis: x.startMillis).clfDate).objectValue ?? JSONObject()
            }
            // Template-only members (mapping.md §4.4 rule 45): the API key fields are null without a key.
            if var identity = context["identity"]?.objectValue {
                if identity["apiKey"] == nil { identity["apiKey"] = .null }
                if identity["apiKeyId"] == nil { identity["apiKeyId"] = .null }
                context["identity"] = .object(identity)
            }
            // $context.authorizer.KEY is a string in templates: 1 → "1", true → "true" (mapping.md §4.4 rule 45).
            if case .object(var a)? = context["authorizer"] {
                for (k, v) in a where k != "claims" { if !v.isNull, v.stringValue == nil { a[k] = .string(v.serialized()) } }
                context["authorizer"] = .object(a)
            }
            context["requestOverride"] = nil
            context["responseOverride"] = nil
            return context.map { (.string($0.key), velocityValue($0.value)) } + [
                (.string("requestOverride"), .map(overrideMap(requestOverride, sections: ["header", "path", "querystring"]))),
                (.string("responseOverride"), .map(overrideMap(responseOverride, sections: ["header"]))),
            ]
        })

        let stageVariables = VelocityMap()
        for (k, v) in stage?.variables ?? [] { stageVariables.put(.string(k), .string(v)) }
        let ctx = VelocityContext.apiGateway([
            "input": .object(input), "util": .object(GatewayUtil()), "context": .map(contextMap),
            "stageVariables": .map(stageVariables),
        ])
        return (ctx, contextMap)
    }

    /// An override map whose values may be set once: the sections (`header`, …) are maps of their own; every
    /// map records a second write of a key, including of a key set by an earlier template (mapping.md §4.4
    /// rule 47 [DOC D9]: "Overrides are final").
    static func overrideMap(_ o: JSONObject, sections: [String]) -> VelocityMap {
        let m = VelocityMap()
        for (k, v) in o where !sections.contains(k) { m.put(.string(k), velocityValue(v)) }
        for section in sections {
            let inner = VelocityMap()
            for (k, v) in o[section]?.objectValue ?? JSONObject() { inner.put(.string(k), velocityValue(v)) }
            inner.tracksRewrites = true
            m.put(.string(section), .map(inner))
        }
        m.tracksRewrites = true
        return m
    }

    /// Keys of the override maps written more than once, as `responseOverride.status` etc.
    static func rewrittenOverrides(_ contextMap: VelocityMap) -> [String] {
        var out: [String] = []
        for key in ["requestOverride", "responseOverride"] {
            guard case .map(let m)? = contextMap.get(.string(key)) else { continue }
            out += m.rewrittenKeys.filter { !["header", "path", "querystring"].contains($0) }.map { "\(key).\($0)" }
            for section in ["header", "path", "querystring"] {
                if case .map(let inner)? = m.get(.string(section)) { out += inner.rewrittenKeys.map { "\(key).\(section).\($0)" } }
            }
        }
        return out
    }

    /// A template's outcome: its output, or where and why it failed.
    public enum Outcome {
        case rendered(String)
        case failed(VelocityError)
    }

    /// Renders `source` for `x` over `payload` and keeps the overrides it set.
    public static func render(_ source: String, name: String, payload: String, _ x: inout Exchange, _ env: GatewayEnvironment) -> Outcome {
        if let mapper = LuaMapperReference.name(source) { return LuaMappers.render(mapper, payload: payload, &x, env) }
        let parsed: Result<VelocityTemplate, VelocityError>
        if let cached = env.templates[source] {
            parsed = cached
        } else {
            do throws(VelocityError) { parsed = .success(try VelocityTemplate.parse(source, name: name)) } catch { parsed = .failure(error) }
            env.templates[source] = parsed
        }
        let template: VelocityTemplate
        switch parsed {
        case .success(let t): template = t
        case .failure(let e): return .failed(e)
        }
        // Only text (`{"statusCode": 200}`): nothing to evaluate, no variables to build.
        if let text = template.literalText { return .rendered(text) }
        let (ctx, contextMap) = variables(for: x, env: env, payload: payload)
        do throws(VelocityError) {
            let out = try template.render(ctx)
            // A template that never touched $context set no override: leave the map unbuilt.
            guard contextMap.isLoaded else { return .rendered(out) }
            let rewritten = rewrittenOverrides(contextMap)
            if !rewritten.isEmpty {
                // "An override may only be applied to each parameter once … API Gateway returns a 5XX response"
                // (mapping.md §4.4 rule 47 [DOC D9]); which 5XX and body are UNCONFIRMED.
                return .failed(VelocityError(kind: .runtime, javaClass: "OverrideAlreadySet",
                                             message: "$context.\(rewritten.joined(separator: ", $context.")) set more than once; AWS applies an override only once and answers 5XX (the exact status and body are UNCONFIRMED)"))
            }
            for (key, keep) in [("requestOverride", \Exchange.requestOverride), ("responseOverride", \Exchange.responseOverride)] {
                guard case .map(let m)? = contextMap.get(.string(key)) else { continue }
                guard case .object(let o)? = jsonValue(.map(m)) else {
                    return .failed(VelocityError(kind: .runtime, javaClass: "StackOverflowError",
                                                  message: "$context.\(key) nests maps or lists more than \(VelocityValue.maxPrintDepth) deep (one that contains itself?)"))
                }
                x[keyPath: keep] = o
            }
            return .rendered(out)
        } catch {
            return .failed(error)
        }
    }

    /// A template that cannot render: AWS's status, body and log line for this are UNCONFIRMED (mapping.md §4.6
    /// rule 54); gwsh answers 500 Internal server error (the integration stages' spaced body) and says so.
    static func failure(_ e: VelocityError, what: String, location: SourceLocation) -> GatewayFailure {
        if e.javaClass == "LuaMapperError" {
            return GatewayFailure(.apiConfigurationError,
                                  why: "the \(what) (\(location)) failed: \(e.message). A failing mapper is answered like a failing template: 500 (mapping.md §4.6 rule 54, UNCONFIRMED on AWS)")
        }
        return GatewayFailure(.apiConfigurationError,
                       why: "the \(what) (\(location)) failed at template line \(e.line), column \(e.column): \(e.javaClass)\(e.message.isEmpty ? "" : ": " + e.message)."
                        + " AWS's exact answer to a failing template is UNCONFIRMED; gwsh answers 500 (mapping.md §4.6 rule 54)")
    }

    /// `$context.responseOverride.status` when it is an integer in 100–599; another value is ignored, as
    /// LocalStack does (mapping.md §4.4 rule 48, UNCONFIRMED on AWS).
    static func overrideStatus(_ x: Exchange) -> (status: Int?, ignored: String?) {
        guard let v = x.responseOverride["status"], !v.isNull else { return (nil, nil) }
        let n = v.intValue ?? v.stringValue.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        if let n, (100...599).contains(n) { return (n, nil) }
        return (nil, v.stringValue ?? v.serialized())
    }

    /// `$context.responseOverride.header.NAME` values, in the order set.
    static func overrideHeaders(_ x: Exchange) -> [(String, String)] {
        (x.responseOverride["header"]?.objectValue ?? JSONObject()).map { ($0.key, $0.value.stringValue ?? $0.value.serialized()) }
    }

    // MARK: JSON <-> template values

    static func velocityValue(_ v: JSONValue) -> VelocityValue {
        switch v {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .double(let d): return .double(d)
        case .string(let s): return .string(s)
        case .array(let a):
            let l = VelocityList(a.map(velocityValue))
            l.printsAsJSON = true
            return .list(l)
        case .object(let o):
            // Converted when first read: most of $context's nested maps (identity, …) are never looked at.
            return .map(VelocityMap(lazy: { o.map { (.string($0.key), velocityValue($0.value)) } }))
        }
    }

    /// A template value as JSON; nil when it nests deeper than the printing bound (a map that holds itself).
    static func jsonValue(_ v: VelocityValue, depth: Int = 0) -> JSONValue? {
        guard depth <= VelocityValue.maxPrintDepth else { return nil }
        switch v {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .double(let d): return .double(d)
        case .bigInt, .object: return .string(v.javaString)
        case .string(let s): return .string(s)
        case .list(let l):
            var a: [JSONValue] = []
            for e in l.items {
                guard let j = jsonValue(e, depth: depth + 1) else { return nil }
                a.append(j)
            }
            return .array(a)
        case .map(let m):
            var o = JSONObject()
            for (k, e) in zip(m.orderedKeys, m.orderedValues) {
                guard let j = jsonValue(e, depth: depth + 1) else { return nil }
                o[k.javaString] = j
            }
            return .object(o)
        }
    }
}

extension MappingTemplates {
    /// Trace fields for the overrides a template has set so far.
    static func overrideFields(_ x: Exchange) -> [(String, String)] {
        var f: [(String, String)] = []
        if let s = x.responseOverride["status"], !s.isNull { f.append(("responseOverride.status", s.stringValue ?? s.serialized())) }
        for (k, v) in overrideHeaders(x) { f.append(("responseOverride.header.\(k)", v)) }
        for part in ["header", "querystring", "path"] {
            for (k, v) in x.requestOverride[part]?.objectValue ?? JSONObject() {
                f.append(("requestOverride.\(part).\(k)", v.stringValue ?? v.serialized()))
            }
        }
        return f
    }
}

/// Short one-line renderings of payloads for trace summaries (the full text is in the event's fields).
enum TraceText {
    /// At most `limit` characters, newlines shown as ⏎, cut with … (reads only the start of a long payload).
    static func short(_ s: String, limit: Int = 60) -> String {
        // Short and on one line: as it is (a UTF-8 byte count bounds the character count).
        if s.utf8.count <= limit, !s.utf8.contains(UInt8(ascii: "\n")) { return s }
        var out = ""
        var count = 0
        for c in s {
            if count >= limit {
                out.removeLast()
                return out + "…"
            }
            switch c {
            case "\n": out += "⏎"
            case "\r\n": out += "\r⏎"
            default: out.append(c)
            }
            count += c == "\r\n" ? 2 : 1
        }
        return out
    }
}
