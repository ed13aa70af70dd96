import Foundation

/// Loads a gateway model from YAML or JSON, with file:line:column diagnostics (MODEL.md).
public enum ModelLoader {
    /// Loads a model file. `displayName` is how messages name it (a path relative to where the user is).
    public static func load(path: String, displayName: String? = nil) throws(ModelError) -> GatewayWorld {
        let name = displayName ?? path
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ModelError(.unknown(name), "cannot read the model file",
                             hint: FileManager.default.fileExists(atPath: path) ? "check its permissions" : "no such file; check the path")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ModelError(.unknown(name), "the model file is not UTF-8 text")
        }
        let dir = (path as NSString).deletingLastPathComponent
        return try load(text: text, file: name, baseDirectory: dir)
    }

    /// Loads a model from text. Relative plugin paths resolve against `baseDirectory` (nil: left unresolved).
    public static func load(text: String, file: String, baseDirectory: String?) throws(ModelError) -> GatewayWorld {
        let root = try ModelNode.parseYAML(text, file: file)
        return try load(node: root, file: file, baseDirectory: baseDirectory)
    }

    /// Loads a model from an already-parsed node tree (conformance cases give JSON).
    public static func load(node root: ModelNode, file: String, baseDirectory: String?) throws(ModelError) -> GatewayWorld {
        var ctx = LoadContext()
        let top = try MapReader(root, keys: ModelKeys.top, path: "", ctx: &ctx)
        var world = GatewayWorld(sourceName: file)
        if let r = top["region"] { world.region = try r.string("region") }
        if let a = top["account"] { world.account = try a.string("account") }
        if let p = top["plugins"] {
            for (i, item) in try p.list("plugins").enumerated() {
                // A path, or { path: FILE, limits: { instructions: N } } (gwsh's own).
                var pathNode = item
                var budget: Int?
                if case .mapping = item {
                    let pm = try MapReader(item, keys: KeySet(known: ["path", "limits"], simulated: ["path", "limits"]), path: "plugins[\(i)]", ctx: &ctx)
                    guard let pn = pm["path"] else { throw ModelError(item.location, "a plugin entry needs a `path`", hint: "{ path: ../../plugins/x.lua, limits: { instructions: 1000000 } }") }
                    pathNode = pn
                    if let l = pm["limits"] {
                        let lm = try MapReader(l, keys: KeySet(known: ["instructions"], simulated: ["instructions"]), path: "plugins[\(i)].limits", ctx: &ctx)
                        budget = try lm["instructions"]?.int("instructions")
                        if let b = budget, !(1_000...2_000_000_000).contains(b) {
                            throw ModelError(lm["instructions"]!.location, "instructions is 1000 to 2000000000 per call, not \(b)")
                        }
                    }
                }
                let s = try pathNode.string("plugins[]")
                let resolved: String? = baseDirectory.map { s.hasPrefix("/") ? s : ($0 as NSString).appendingPathComponent(s) }
                var reference = PluginReference(path: s, resolvedPath: resolved.map { ($0 as NSString).standardizingPath }, location: pathNode.location)
                reference.instructionBudget = budget
                world.plugins.append(reference)
            }
        }
        if let apis = top["restApis"] {
            for (i, apiNode) in try apis.list("restApis").enumerated() {
                let api = try loadRestApi(apiNode, path: "restApis[\(i)]", region: world.region, ctx: &ctx)
                if world.restApis.contains(where: { $0.id == api.id }) {
                    throw ModelError(apiNode.location, "two REST APIs have the id \(api.id)", hint: "give each API its own id")
                }
                world.restApis.append(api)
            }
        }
        if let apis = top["httpApis"] {
            for (i, apiNode) in try apis.list("httpApis").enumerated() {
                let api = try loadHttpApi(apiNode, path: "httpApis[\(i)]", ctx: &ctx)
                if world.httpApis.contains(where: { $0.apiId == api.apiId }) || world.restApis.contains(where: { $0.id == api.apiId }) {
                    throw ModelError(apiNode.location, "two APIs have the id \(api.apiId)", hint: "give each API its own id")
                }
                world.httpApis.append(api)
            }
        }
        try loadEdge(top, world: &world, ctx: &ctx)
        for (i, node) in try (top["vpcEndpoints"]?.list("vpcEndpoints") ?? []).enumerated() {
            let m = try MapReader(node, keys: KeySet(known: ["vpcEndpointId", "vpcId", "ownerId"], simulated: ["vpcEndpointId", "vpcId", "ownerId"]),
                                  path: "vpcEndpoints[\(i)]", ctx: &ctx)
            guard let idNode = m["vpcEndpointId"], case let id = try idNode.string("vpcEndpointId"), id.hasPrefix("vpce-") else {
                throw ModelError(node.location, "a VPC endpoint needs a `vpcEndpointId` starting vpce-", hint: "e.g. { vpcEndpointId: vpce-1a2b3c4d, vpcId: vpc-1a2b3c4d, ownerId: \"222222222222\" }")
            }
            if world.vpcEndpoint(id: id) != nil { throw ModelError(idNode.location, "VPC endpoint \(id) is defined twice") }
            world.vpcEndpoints.append(VpcEndpoint(vpcEndpointId: id, vpcId: try m["vpcId"]?.string("vpcId") ?? "vpc-" + id.dropFirst(5),
                                                  ownerId: try m["ownerId"]?.string("ownerId") ?? world.account, location: node.location))
        }
        for e in try top["identities"]?.mapping("identities") ?? [] {
            world.identities.append(try loadIdentity(e.key, e.value, path: "identities.\(e.key)", ctx: &ctx))
        }
        if let st = top["settings"] {
            let sm = try MapReader(st, keys: ModelKeys.settings, path: "settings", ctx: &ctx)
            if let t = sm["throttle"] { world.accountThrottle = try loadThrottle(t, path: "settings.throttle", ctx: &ctx) }
        } else if lowThrottleRegions.contains(world.region) {
            world.accountThrottle = ThrottleSettings(rateLimit: 2_500, burstLimit: 1_250)
        }
        if let ups = top["usagePlans"] {
            for (i, node) in try ups.list("usagePlans").enumerated() {
                world.usagePlans.append(try loadUsagePlan(node, path: "usagePlans[\(i)]", ctx: &ctx))
            }
            try checkUsagePlans(world)
        }
        if let bs = top["backends"] {
            for e in try bs.mapping("backends") {
                world.backends.append(try loadBackend(host: e.key, node: e.value, ctx: &ctx))
            }
        }
        world.notes = ctx.notes
        return world
    }

    /// `*/*`, `orders/{id}/GET`, `/orders/{id}/GET` and `/~1orders~1{id}/GET` all name the same method setting;
    /// the stored form has no leading slash (throttling.md §4 rule 7).
    static func normalizedMethodSettingKey(_ key: String) -> String {
        if key == "*/*" || key == "/*/*" { return "*/*" }
        var k = key.replacingOccurrences(of: "~1", with: "/")
        while k.hasPrefix("/") { k.removeFirst() }
        return k
    }

    /// Regions whose default account throttle is 2,500 rps / burst 1,250 (throttling.md §2 rule 3, data not code).
    static let lowThrottleRegions: Set<String> = [
        "af-south-1", "eu-south-1", "ap-southeast-3", "me-central-1", "ap-south-2", "ap-southeast-4", "eu-south-2",
        "eu-central-2", "il-central-1", "ca-west-1", "ap-southeast-5", "ap-southeast-7", "mx-central-1",
    ]

    static func loadThrottle(_ node: ModelNode, path: String, rateKey: String = "rateLimit", burstKey: String = "burstLimit",
                             ctx: inout LoadContext) throws(ModelError) -> ThrottleSettings {
        let m = try MapReader(node, keys: ModelKeys.throttle, path: path, ctx: &ctx)
        guard let r = m[rateKey], let b = m[burstKey] else {
            throw ModelError(node.location, "a throttle needs \(rateKey) and \(burstKey)", hint: "e.g. { \(rateKey): 5, \(burstKey): 10 }")
        }
        return try throttleValues(rate: r, burst: b)
    }

    static func throttleValues(rate r: ModelNode, burst b: ModelNode) throws(ModelError) -> ThrottleSettings {
        let rateText = try r.string("rateLimit")
        guard let rate = Double(rateText), rate.isFinite, rate >= 0 else {
            throw ModelError(r.location, "a rate limit is requests per second, a number ≥ 0, not '\(rateText)'")
        }
        let burst = try b.int("burstLimit")
        guard burst >= 0 else { throw ModelError(b.location, "a burst limit is a whole number ≥ 0") }
        return ThrottleSettings(rateLimit: rate, burstLimit: burst)
    }

    static func loadUsagePlan(_ node: ModelNode, path: String, ctx: inout LoadContext) throws(ModelError) -> UsagePlan {
        let m = try MapReader(node, keys: ModelKeys.usagePlan, path: path, ctx: &ctx)
        guard let idNode = m["id"] else { throw ModelError(node.location, "a usage plan needs an `id`", hint: "e.g. id: nnpegc") }
        let id = try idNode.string("id")
        var stages: [UsagePlan.ApiStage] = []
        for (i, sn) in try (m["apiStages"]?.list("apiStages") ?? []).enumerated() {
            let sm = try MapReader(sn, keys: ModelKeys.apiStage, path: path + ".apiStages[\(i)]", ctx: &ctx)
            guard let a = sm["apiId"], let st = sm["stage"] else {
                throw ModelError(sn.location, "an API stage of a usage plan needs apiId and stage", hint: "e.g. { apiId: rohkz08x02, stage: dev }")
            }
            var methods: [String: ThrottleSettings] = [:]
            for e in try sm["throttle"]?.mapping("throttle") ?? [] {
                // Keys `/{resourcePath}/{httpMethod}`, with the leading slash; the root is `//GET` (throttling.md §5 rule 2).
                guard e.key.hasPrefix("/"), let slash = e.key.lastIndex(of: "/"), slash != e.key.startIndex,
                      ModelKeys.httpMethods.contains(String(e.key[e.key.index(after: slash)...])) else {
                    throw ModelError(e.keyLocation, "a usage plan's method throttle is keyed /{resourcePath}/{httpMethod}, not '\(e.key)'",
                                     hint: "e.g. \"/orders/{id}/GET\" (the root resource is \"//GET\")")
                }
                methods[e.key] = try loadThrottle(e.value, path: path + ".apiStages[\(i)].throttle.\(e.key)", ctx: &ctx)
            }
            stages.append(UsagePlan.ApiStage(apiId: try a.string("apiId"), stage: try st.string("stage"), methodThrottles: methods))
        }
        var quota: QuotaSettings?
        if let q = m["quota"] {
            let qm = try MapReader(q, keys: ModelKeys.quota, path: path + ".quota", ctx: &ctx)
            guard let l = qm["limit"], let p = qm["period"] else {
                throw ModelError(q.location, "a quota needs limit and period", hint: "e.g. { limit: 500, period: DAY }")
            }
            let period = try p.string("period")
            guard ["DAY", "WEEK", "MONTH"].contains(period) else {
                throw ModelError(p.location, "a quota period is DAY, WEEK or MONTH, not '\(period)'")
            }
            let limit = try l.int("limit"), offset = try qm["offset"]?.int("offset") ?? 0
            guard limit >= 0, offset >= 0 else { throw ModelError(q.location, "a quota's limit and offset are whole numbers ≥ 0") }
            quota = QuotaSettings(limit: limit, period: period, offset: offset)
        }
        var keys: [ApiKey] = []
        for (i, kn) in try (m["apiKeys"]?.list("apiKeys") ?? []).enumerated() {
            let km = try MapReader(kn, keys: ModelKeys.apiKey, path: path + ".apiKeys[\(i)]", ctx: &ctx)
            guard let v = km["value"] else { throw ModelError(kn.location, "an API key needs a `value`", hint: "20 to 128 letters and digits") }
            let value = try v.string("value")
            // "an alphanumeric string between 20 and 128 characters" (throttling.md §6 rule 4 [DOC D4]).
            guard (20...128).contains(value.count), value.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
                throw ModelError(v.location, "an API key value is 20 to 128 letters and digits", hint: "AWS generates 40-character keys")
            }
            let keyId = try km["id"]?.string("id") ?? ModelLoader.derivedId(apiId: id, path: "key:" + value)
            keys.append(ApiKey(id: keyId, name: try km["name"]?.string("name") ?? keyId, value: value,
                               enabled: try km["enabled"]?.bool("enabled") ?? true, location: kn.location))
        }
        return UsagePlan(id: id, name: try m["name"]?.string("name") ?? id, apiStages: stages,
                         throttle: try m["throttle"].map { n throws(ModelError) in try loadThrottle(n, path: path + ".throttle", ctx: &ctx) },
                         quota: quota, apiKeys: keys, location: node.location)
    }

    /// A key may be in one plan per API stage, and key values are unique (throttling.md §5 rule 6, §6 rule 4).
    static func checkUsagePlans(_ world: GatewayWorld) throws(ModelError) {
        var seenValues: [String: String] = [:]
        var keyStage: [String: String] = [:]
        for plan in world.usagePlans {
            for key in plan.apiKeys {
                if let other = seenValues[key.value], other != key.id {
                    throw ModelError(key.location, "API keys \(other) and \(key.id) have the same value", hint: "AWS treats equal values as one key; give each key its own value")
                }
                seenValues[key.value] = key.id
                for st in plan.apiStages {
                    let k = key.value + "|" + st.apiId + "/" + st.stage
                    if let p = keyStage[k], p != plan.id {
                        throw ModelError(key.location, "API key \(key.id) is in usage plans \(p) and \(plan.id) for the same API stage \(st.apiId)/\(st.stage)",
                                         hint: "a key can belong to one usage plan per API stage (throttling.md §5 rule 6)")
                    }
                    keyStage[k] = plan.id
                }
            }
        }
    }

    static func loadBackend(host: String, node: ModelNode, ctx: inout LoadContext) throws(ModelError) -> Backend {
        let m = try MapReader(node, keys: ModelKeys.backend, path: "backends.\(host)", ctx: &ctx)
        var latency: Int?
        if let l = m["latencyMillis"] {
            let n = try l.int("latencyMillis")
            guard n >= 0, n <= 3_600_000 else { throw ModelError(l.location, "latencyMillis must be 0 to 3600000 (an hour)") }
            latency = n
        }
        if let b = m["behaviour"] {
            let name = try b.string("behaviour")
            guard name == "echo" else {
                throw ModelError(b.location, "unknown backend behaviour '\(name)'", hint: "`behaviour: echo` answers what the backend received; or give status, headers and body")
            }
            return Backend(host: host, behaviour: .echo, latencyMillis: latency, location: node.location)
        }
        let status = try m["status"]?.int("status") ?? 200
        guard (100...599).contains(status) else { throw ModelError(m["status"]!.location, "a backend status must be 100–599, not \(status)") }
        var headers: [(name: String, value: String)] = []
        for e in try m["headers"]?.mapping("headers") ?? [] { headers.append((e.key, try e.value.string(e.key))) }
        let body = try m["body"]?.templateString("backend body") ?? ""
        return Backend(host: host, behaviour: .fixed(status: status, headers: headers, body: body), latencyMillis: latency, location: node.location)
    }

    static func loadGatewayResponse(type: String, keyLocation: SourceLocation, node: ModelNode, path: String,
                                    ctx: inout LoadContext) throws(ModelError) -> GatewayResponseCustomization {
        guard ModelKeys.gatewayResponseTypes.contains(type) else {
            throw ModelError(keyLocation, "unknown gateway response type `\(type)`",
                             hint: Suggest.closest(to: type, in: ModelKeys.gatewayResponseTypes).map { "did you mean `\($0)`?" }
                                ?? "types: \(ModelKeys.gatewayResponseTypes.joined(separator: ", "))")
        }
        let m = try MapReader(node, keys: ModelKeys.gatewayResponse, path: path, ctx: &ctx, allowNull: true)
        if let t = m["responseType"], try t.string("responseType") != type {
            throw ModelError(t.location, "responseType \(try t.string("responseType")) differs from the key \(type)", hint: "drop responseType; the key names the type")
        }
        var status: Int?
        if let sc = m["statusCode"] {
            let text = try sc.string("statusCode")
            guard let n = Int(text), (100...599).contains(n) else {
                throw ModelError(sc.location, "statusCode must be an HTTP status code (100–599), not '\(text)'")
            }
            if type == "REQUEST_TOO_LARGE" {
                // Customising REQUEST_TOO_LARGE is not supported (rest-request-flow.md §3.1 rule 52 [DOC D5]).
                throw ModelError(keyLocation, "AWS does not support customising REQUEST_TOO_LARGE", hint: "remove it; the 413 for a body over 10 MB is fixed")
            }
            status = n
        }
        var params: [(target: String, source: String)] = []
        for e in try m["responseParameters"]?.mapping("responseParameters") ?? [] {
            guard e.key.hasPrefix("gatewayresponse.header."), e.key.count > "gatewayresponse.header.".count else {
                throw ModelError(e.keyLocation, "gateway response parameters are `gatewayresponse.header.NAME`, not `\(e.key)`",
                                 hint: "e.g. gatewayresponse.header.Access-Control-Allow-Origin: \"'*'\"")
            }
            params.append((e.key, try e.value.string(e.key)))
        }
        var templates: [(contentType: String, template: String)] = []
        for e in try m["responseTemplates"]?.mapping("responseTemplates") ?? [] {
            templates.append((e.key, try e.value.templateString(e.key)))
        }
        return GatewayResponseCustomization(responseType: type, statusCode: status, responseParameters: params,
                                            responseTemplates: templates, location: node.location)
    }

    static func loadRestApi(_ node: ModelNode, path: String, region: String, ctx: inout LoadContext) throws(ModelError) -> RestApi {
        let m = try MapReader(node, keys: ModelKeys.restApi, path: path, ctx: &ctx)
        guard let idNode = m["id"] else {
            throw ModelError(node.location, "a REST API needs an `id`", hint: "add e.g. `id: a1b2c3d4e5` (10 lower-case letters or digits, like AWS's ids)")
        }
        let id = try idNode.string("id")
        let name = try m["name"]?.string("name") ?? id
        var endpointType = EndpointType.edge  // AWS's default for a new REST API (MODEL.md)
        if let ec = m["endpointConfiguration"] {
            let ecm = try MapReader(ec, keys: ModelKeys.endpointConfiguration, path: path + ".endpointConfiguration", ctx: &ctx)
            if let types = ecm["types"] {
                let list = try types.list("types")
                guard list.count == 1, let t = try? list[0].string("types[]"), let et = EndpointType(rawValue: t) else {
                    throw ModelError(types.location, "endpointConfiguration.types must hold exactly one of EDGE, REGIONAL, PRIVATE")
                }
                endpointType = et
            }
        }
        let binary = try m["binaryMediaTypes"].map { n throws(ModelError) in try n.list("binaryMediaTypes").map { i throws(ModelError) in try i.string("binaryMediaTypes[]") } } ?? []

        var resources: [Resource] = []
        if let rs = m["resources"] {
            let entries = try rs.mapping("resources")
            for e in entries {
                resources.append(try loadResource(pathKey: e.key, keyLocation: e.keyLocation, node: e.value, apiId: id,
                                                  path: path + ".resources.\(e.key)", endpointType: endpointType, ctx: &ctx))
            }
        }
        resources = try completeTree(resources, apiId: id, location: node.location)

        var stages: [Stage] = []
        if let ss = m["stages"] {
            for (i, sn) in try ss.list("stages").enumerated() {
                let sm = try MapReader(sn, keys: ModelKeys.stage, path: path + ".stages[\(i)]", ctx: &ctx)
                guard let nameNode = sm["stageName"] else { throw ModelError(sn.location, "a stage needs a `stageName`") }
                let stageName = try nameNode.string("stageName")
                // Stage names: alphanumerics, '-' and '_', at most 128 characters (rest-request-flow.md §1.3 rule 13).
                guard !stageName.isEmpty, stageName.count <= 128,
                      stageName.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
                    throw ModelError(nameNode.location, "invalid stage name '\(stageName)'", hint: "AWS allows letters, digits, '-' and '_' (at most 128 characters)")
                }
                var vars: [(name: String, value: String)] = []
                if let vn = sm["variables"] {
                    for e in try vn.mapping("variables") { vars.append((e.key, try e.value.string(e.key))) }
                }
                if stages.contains(where: { $0.stageName == stageName }) {
                    throw ModelError(nameNode.location, "stage \(stageName) is defined twice")
                }
                var stage = Stage(stageName: stageName, variables: vars, hasMethodSettings: sm["methodSettings"] != nil, location: sn.location)
                for e in try sm["methodSettings"]?.mapping("methodSettings") ?? [] {
                    let ms = try MapReader(e.value, keys: ModelKeys.methodSetting, path: path + ".stages[\(i)].methodSettings.\(e.key)", ctx: &ctx)
                    guard ms["throttlingRateLimit"] != nil || ms["throttlingBurstLimit"] != nil else { continue }
                    // An unset rate shows as 10000.0, the account default (throttling.md §4 rule 3 [REC]); an unset
                    // burst is taken as the account's 5000 (assumption).
                    var rate = 10_000.0
                    if let r = ms["throttlingRateLimit"] {
                        let text = try r.string("throttlingRateLimit")
                        guard let v = Double(text), v.isFinite, v >= 0 else {
                            throw ModelError(r.location, "throttlingRateLimit is requests per second, a number ≥ 0, not '\(text)'")
                        }
                        rate = v
                    }
                    let burst = try ms["throttlingBurstLimit"]?.int("throttlingBurstLimit") ?? 5_000
                    stage.methodThrottles[normalizedMethodSettingKey(e.key)] = ThrottleSettings(rateLimit: rate, burstLimit: max(0, burst))
                }
                stages.append(stage)
            }
        }
        var api = RestApi(id: id, name: name, endpointType: endpointType, binaryMediaTypes: binary, resources: resources,
                          stages: stages, location: node.location)
        if let ks = m["apiKeySource"] {
            let v = try ks.string("apiKeySource")
            guard v == "HEADER" || v == "AUTHORIZER" else { throw ModelError(ks.location, "apiKeySource is HEADER or AUTHORIZER, not '\(v)'") }
            api.apiKeySource = v
        }
        if let p = m["policy"] {
            switch p {
            case .null: break
            case .scalar(let text, _, let loc):
                // The API returns the policy as JSON text; a model may write it so.
                do throws(JSONParseError) { api.resourcePolicy = try JSONValue.parse(text) } catch {
                    throw ModelError(loc, "policy is not a JSON policy document: \(error)", hint: "write it as a mapping, or as JSON text")
                }
            default: api.resourcePolicy = p.json
            }
            api.resourcePolicyLocation = p.location
        }
        api.disableExecuteApiEndpoint = try m["disableExecuteApiEndpoint"]?.bool("disableExecuteApiEndpoint") ?? false
        if let rv = m["requestValidators"] {
            for e in try rv.mapping("requestValidators") {
                let vm = try MapReader(e.value, keys: ModelKeys.requestValidator, path: path + ".requestValidators.\(e.key)", ctx: &ctx, allowNull: true)
                api.requestValidators[e.key] = RequestValidator(
                    name: e.key, validateRequestBody: try vm["validateRequestBody"]?.bool("validateRequestBody") ?? false,
                    validateRequestParameters: try vm["validateRequestParameters"]?.bool("validateRequestParameters") ?? false)
            }
        }
        if let ms = m["models"] {
            for e in try ms.mapping("models") {
                let mm = try MapReader(e.value, keys: ModelKeys.model, path: path + ".models.\(e.key)", ctx: &ctx)
                guard let schemaNode = mm["schema"] else {
                    throw ModelError(e.keyLocation, "model \(e.key) has no schema", hint: "a model is a JSON Schema (draft 4): schema: {type: object, ...}")
                }
                let schema: JSONValue
                if case .scalar(let text, _, _) = schemaNode {
                    // AWS's API stores the schema as a JSON string; accept that form too.
                    do { schema = try JSONValue.parse(text) } catch {
                        throw ModelError(schemaNode.location, "the schema of model \(e.key) is not JSON: \(error)")
                    }
                } else {
                    schema = schemaNode.json
                }
                api.models[e.key] = ModelSchema(name: e.key, contentType: try mm["contentType"]?.string("contentType") ?? "application/json",
                                                schema: schema, location: schemaNode.location)
            }
            // A schema AWS would refuse at CreateModel fails the load (mapping.md §1.4; the exact AWS message is not reproduced).
            let models = api.models
            for (name, model) in models.sorted(by: { $0.key < $1.key }) {
                let problems = JSONSchema(model.schema, resolveRef: { ref in RestApi.modelSchema(models, ref) }).schemaProblems()
                if let first = problems.first {
                    throw ModelError(model.location, "model \(name) is not a valid JSON Schema (draft 4): \(first)",
                                     hint: problems.count > 1 ? "and \(problems.count - 1) more problem(s)" : "API Gateway models are JSON Schema draft 4")
                }
            }
        }
        if let an = m["authorizers"] {
            api.authorizers = try loadRestAuthorizers(an, apiId: id, path: path + ".authorizers", ctx: &ctx)
        }
        // What methods refer to must exist (AWS refuses the method otherwise).
        for r in api.resources {
            for method in r.methods {
                try checkAuthorizer(method, resource: r, api: api)
                if let v = method.requestValidator, api.requestValidators[v] == nil {
                    throw ModelError(method.location, "\(method.httpMethod) \(r.path) uses request validator '\(v)', which the API does not define",
                                     hint: api.requestValidators.isEmpty ? "add requestValidators: { \(v): { validateRequestBody: true, validateRequestParameters: true } }"
                                        : "validators: \(api.requestValidators.keys.sorted().joined(separator: ", "))")
                }
                for (ct, model) in method.requestModels where api.models[model] == nil && model != "Empty" && model != "Error" {
                    throw ModelError(method.location, "\(method.httpMethod) \(r.path) maps \(ct) to model '\(model)', which the API does not define",
                                     hint: api.models.isEmpty ? "add models: { \(model): { contentType: \(ct), schema: {...} } }" : "models: \(api.models.keys.sorted().joined(separator: ", "))")
                }
            }
        }
        if let gr = m["gatewayResponses"] {
            for e in try gr.mapping("gatewayResponses") {
                api.gatewayResponses.append(try loadGatewayResponse(type: e.key, keyLocation: e.keyLocation, node: e.value,
                                                                    path: path + ".gatewayResponses.\(e.key)", ctx: &ctx))
            }
        }
        return api
    }

    /// A CUSTOM method names a Lambda authorizer of its API, a COGNITO_USER_POOLS method a Cognito one (AWS's PutMethod
    /// refuses the method otherwise).
    static func checkAuthorizer(_ method: Method, resource r: Resource, api: RestApi) throws(ModelError) {
        let wanted: String
        switch method.authorizationType {
        case "CUSTOM": wanted = "a TOKEN or REQUEST"
        case "COGNITO_USER_POOLS": wanted = "a COGNITO_USER_POOLS"
        default: return
        }
        let names = api.authorizers.filter { ($0.type == .cognito) == (method.authorizationType == "COGNITO_USER_POOLS") }.map(\.name)
        guard let ref = method.authorizer else {
            throw ModelError(method.location, "\(method.httpMethod) \(r.path) has authorizationType \(method.authorizationType) but names no authorizer",
                             hint: names.isEmpty ? "add \(wanted) authorizer to the API's `authorizers` and name it with `authorizer: NAME`" : "add authorizer: \(names[0])")
        }
        guard let a = api.authorizer(ref) else {
            throw ModelError(method.location, "\(method.httpMethod) \(r.path) names authorizer '\(ref)', which the API does not define",
                             hint: names.isEmpty ? "add it to the API's `authorizers`" : "authorizers: \(names.joined(separator: ", "))")
        }
        guard (a.type == .cognito) == (method.authorizationType == "COGNITO_USER_POOLS") else {
            throw ModelError(method.location, "\(method.httpMethod) \(r.path) is \(method.authorizationType), which needs \(wanted) authorizer; \(a.name) is \(a.type.rawValue)",
                             hint: a.type == .cognito ? "authorizationType: COGNITO_USER_POOLS" : "authorizationType: CUSTOM")
        }
    }

    static func loadResource(pathKey: String, keyLocation: SourceLocation, node: ModelNode, apiId: String, path: String,
                             endpointType: EndpointType, ctx: inout LoadContext) throws(ModelError) -> Resource {
        guard pathKey.hasPrefix("/") else {
            throw ModelError(keyLocation, "resource paths start with '/': '\(pathKey)'", hint: "write /\(pathKey)")
        }
        let normalized = pathKey.count > 1 && pathKey.hasSuffix("/") ? String(pathKey.dropLast()) : pathKey
        for part in normalized.split(separator: "/", omittingEmptySubsequences: false).dropFirst() where normalized != "/" {
            guard !part.isEmpty else { throw ModelError(keyLocation, "empty path part in '\(pathKey)'") }
            if part.hasPrefix("{") != part.hasSuffix("}") {
                throw ModelError(keyLocation, "unbalanced braces in path part '\(part)'", hint: "a path variable is written {name} or {name+}")
            }
        }
        let m = try MapReader(node, keys: ModelKeys.resource, path: path, ctx: &ctx)
        var methods: [Method] = []
        for e in m.entries where ModelKeys.httpMethods.contains(e.key) {
            methods.append(try loadMethod(e.key, e.value, path: path + ".\(e.key)", endpointType: endpointType, ctx: &ctx))
        }
        let id = try m["id"]?.string("id") ?? derivedId(apiId: apiId, path: normalized)
        return Resource(id: id, path: normalized, methods: methods, location: node.location)
    }

    static func loadMethod(_ httpMethod: String, _ node: ModelNode, path: String, endpointType: EndpointType, ctx: inout LoadContext) throws(ModelError) -> Method {
        let m = try MapReader(node, keys: ModelKeys.method, path: path, ctx: &ctx)
        let auth = try m["authorizationType"]?.string("authorizationType") ?? "NONE"
        let validAuth = ["NONE", "AWS_IAM", "CUSTOM", "COGNITO_USER_POOLS"]
        guard validAuth.contains(auth) else {
            throw ModelError(m["authorizationType"]!.location, "unknown authorizationType '\(auth)'",
                             hint: Suggest.closest(to: auth, in: validAuth).map { "did you mean \($0)?" } ?? "use one of \(validAuth.joined(separator: ", "))")
        }
        let keyRequired = try m["apiKeyRequired"]?.bool("apiKeyRequired") ?? false
        let validator = try (m["requestValidator"] ?? m["requestValidatorId"])?.string("requestValidator")
        var integration: Integration?
        if let i = m["integration"] ?? m["methodIntegration"] {
            integration = try loadIntegration(i, path: path + ".integration", endpointType: endpointType, ctx: &ctx)
        }
        var responses: [String: MethodResponse] = [:]
        if let mr = m["methodResponses"] {
            for e in try mr.mapping("methodResponses") {
                let rm = try MapReader(e.value, keys: ModelKeys.methodResponse, path: path + ".methodResponses.\(e.key)", ctx: &ctx, allowNull: true)
                let status = try rm["statusCode"]?.string("statusCode") ?? e.key
                try checkStatus(status, at: e.keyLocation)
                if responses[status] != nil {
                    throw ModelError(e.keyLocation, "method response \(status) is defined twice", hint: "keep one entry per status code")
                }
                var params: [String: Bool] = [:]
                if let p = rm["responseParameters"] {
                    for pe in try p.mapping("responseParameters") { params[pe.key] = try pe.value.bool(pe.key) }
                }
                responses[status] = MethodResponse(statusCode: status, responseParameters: params)
            }
        }
        var method = Method(httpMethod: httpMethod, authorizationType: auth, apiKeyRequired: keyRequired, requestValidator: validator,
                            integration: integration, methodResponses: responses, location: node.location)
        method.authorizer = try (m["authorizer"] ?? m["authorizerId"])?.string("authorizer")
        for s in try m["authorizationScopes"]?.list("authorizationScopes") ?? [] { method.authorizationScopes.append(try s.string("authorizationScopes")) }
        if let rm = m["requestModels"] {
            for e in try rm.mapping("requestModels") { method.requestModels.append((e.key, try e.value.string(e.key))) }
        }
        if let rp = m["requestParameters"] {
            var seen: [String: String] = [:]
            for e in try rp.mapping("requestParameters") {
                let parts = e.key.split(separator: ".", maxSplits: 3).map(String.init)
                let places = ["path", "querystring", "multivaluequerystring", "header", "multivalueheader"]
                guard parts.count == 4, parts[0] == "method", parts[1] == "request", places.contains(parts[2]), !parts[3].isEmpty else {
                    throw ModelError(e.keyLocation, "method request parameters are `method.request.{path|querystring|header}.NAME`, not `\(e.key)`",
                                     hint: "e.g. method.request.querystring.page: false (true = required)")
                }
                // A string "true" is rejected (mapping.md §1.1 rule 2 [REC]).
                guard case .scalar(let v, let plain, _) = e.value, plain, v == "true" || v == "false" else {
                    throw ModelError(e.value.location, "Invalid mapping expression specified: Validation Result: warnings : [], errors : [Invalid mapping expression specified: \(e.value.json.stringValue ?? e.value.json.serialized())]",
                                     hint: "the value says whether the parameter is required: true or false, unquoted")
                }
                // One name, one place (mapping.md §1.1 rule 3 [REC]).
                let place = parts[2].replacingOccurrences(of: "multivalue", with: "")
                if let other = seen[parts[3]], other != place {
                    throw ModelError(e.keyLocation, "Parameter names must be unique across querystring, header and path",
                                     hint: "\(parts[3]) is declared as a \(other) parameter too")
                }
                seen[parts[3]] = place
                method.requestParameters.append((e.key, v == "true"))
            }
        }
        return method
    }

    static func loadIntegration(_ node: ModelNode, path: String, endpointType: EndpointType, ctx: inout LoadContext) throws(ModelError) -> Integration {
        let m = try MapReader(node, keys: ModelKeys.integration, path: path, ctx: &ctx)
        guard let tn = m["type"] else {
            throw ModelError(node.location, "an integration needs a `type`", hint: "one of MOCK, AWS, AWS_PROXY, HTTP, HTTP_PROXY")
        }
        let ts = try tn.string("type")
        guard let type = IntegrationType(rawValue: ts) else {
            throw ModelError(tn.location, "unknown integration type '\(ts)'",
                             hint: Suggest.closest(to: ts, in: IntegrationType.allCases.map(\.rawValue)).map { "did you mean \($0)?" }
                                ?? "one of MOCK, AWS, AWS_PROXY, HTTP, HTTP_PROXY")
        }
        let uri = try m["uri"]?.string("uri")
        if type == .awsProxy || type == .aws {
            guard let uri else { throw ModelError(node.location, "a \(ts) integration needs a `uri`", hint: "for a Lua Lambda write `uri: lambda:NAME`") }
            if type == .awsProxy, !(uri.hasPrefix("lambda:") || uri.contains(":lambda:path/")) {
                throw ModelError(m["uri"]!.location, "an AWS_PROXY integration calls a Lambda function; '\(uri)' is not a Lambda URI",
                                 hint: "write `lambda:NAME` for a function a plugin registers, or the function's invocation ARN")
            }
            if (uri.hasPrefix("lambda:") || uri.contains(":lambda:path/")) && Integration.lambdaFunctionName(uri: uri)?.isEmpty != false {
                throw ModelError(m["uri"]!.location, "cannot read a Lambda function name from '\(uri)'",
                                 hint: "write `lambda:NAME` or the function's invocation ARN")
            }
        }
        if (type == .http || type == .httpProxy), uri == nil {
            throw ModelError(node.location, "a \(ts) integration needs a `uri`", hint: "e.g. uri: http://backend/path")
        }
        var templates: [(contentType: String, template: String)] = []
        if let t = m["requestTemplates"] {
            for e in try t.mapping("requestTemplates") { templates.append((e.key, try e.value.mappingTemplate(e.key))) }
        }
        let passthrough = try m["passthroughBehavior"]?.string("passthroughBehavior") ?? "WHEN_NO_MATCH"
        let validPassthrough = ["WHEN_NO_MATCH", "WHEN_NO_TEMPLATES", "NEVER"]
        guard validPassthrough.contains(passthrough) else {
            throw ModelError(m["passthroughBehavior"]!.location, "unknown passthroughBehavior '\(passthrough)'",
                             hint: "one of \(validPassthrough.joined(separator: ", "))")
        }
        // Integration timeout: 50 ms to 29 s, default 29000 (rest-request-flow.md §6, §1.6 rule 25).
        let timeout = try m["timeoutInMillis"]?.int("timeoutInMillis") ?? 29000
        if timeout < 50 {
            throw ModelError(m["timeoutInMillis"]!.location, "timeoutInMillis must be at least 50", hint: "AWS accepts 50 to 29000 ms")
        }
        if timeout > 29000, endpointType == .edge {
            // Regional and private APIs may go beyond 29 s after a quota increase; edge-optimized ones may not
            // (rest-request-flow.md §6 [DOC D23]).
            throw ModelError(m["timeoutInMillis"]!.location, "timeoutInMillis \(timeout) is above 29000, the limit for EDGE APIs",
                             hint: "use at most 29000, or a REGIONAL endpoint (which can go higher after a quota increase)")
        }
        if timeout > 3_600_000 {
            // How far a quota increase goes is not documented; gwsh bounds it at an hour (assumption).
            throw ModelError(m["timeoutInMillis"]!.location, "timeoutInMillis \(timeout) is above gwsh's bound of 3600000 (an hour)",
                             hint: "AWS's default limit is 29000; regional APIs can go higher only after a quota increase")
        }
        var responses: [IntegrationResponse] = []
        if let ir = m["integrationResponses"] {
            for e in try ir.mapping("integrationResponses") {
                let rm = try MapReader(e.value, keys: ModelKeys.integrationResponse, path: path + ".integrationResponses.\(e.key)", ctx: &ctx, allowNull: true)
                let status = try rm["statusCode"]?.string("statusCode") ?? e.key
                try checkStatus(status, at: rm["statusCode"]?.location ?? e.keyLocation)
                let pattern = try rm["selectionPattern"]?.string("selectionPattern")
                if let pattern, !pattern.isEmpty {
                    do { _ = try NSRegularExpression(pattern: pattern) } catch {
                        throw ModelError(rm["selectionPattern"]!.location, "selectionPattern is not a valid regular expression: \(pattern)",
                                         hint: "API Gateway uses Java regular expressions matched against the whole string, e.g. .*Raising 400.*")
                    }
                }
                var rt: [(contentType: String, template: String)] = []
                if let t = rm["responseTemplates"] {
                    for te in try t.mapping("responseTemplates") { rt.append((te.key, try te.value.mappingTemplate(te.key))) }
                }
                // AWS keys integration responses by status code: one per status (PutIntegrationResponse replaces).
                if responses.contains(where: { $0.statusCode == status }) {
                    throw ModelError(rm["statusCode"]?.location ?? e.keyLocation, "integration response \(status) is defined twice",
                                     hint: "an integration has one response per status code; put several patterns into one regex (a|b), or use another status")
                }
                var response = IntegrationResponse(statusCode: status, selectionPattern: pattern, responseTemplates: rt, location: e.value.location)
                response.contentHandling = try contentHandling(rm["contentHandling"])
                if let p = rm["responseParameters"] {
                    // Sources per mapping.md §3.4: the integration response, stage variables, context, static values.
                    response.responseParameters = try loadMappings(p, targets: ["method.response.header."],
                                                                   sources: ["integration.response.", "stageVariables.", "context."], what: "responseParameters",
                                                                   example: "method.response.header.X-Id: integration.response.header.X-Id")
                }
                responses.append(response)
            }
        }
        var integration = Integration(type: type, uri: uri, httpMethod: try m["httpMethod"]?.string("httpMethod"), requestTemplates: templates,
                                      passthroughBehavior: passthrough, timeoutInMillis: timeout, integrationResponses: responses,
                                      location: node.location)
        integration.contentHandling = try contentHandling(m["contentHandling"])
        if let p = m["requestParameters"] {
            integration.requestParameters = try loadMappings(
                p, targets: ["integration.request.path.", "integration.request.querystring.", "integration.request.header.",
                             "integration.request.multivaluequerystring.", "integration.request.multivalueheader."],
                sources: ["method.request.", "stageVariables.", "context."],
                what: "requestParameters", example: "integration.request.header.X-Id: method.request.header.X-Id")
        }
        return integration
    }

    /// A parameter mapping (`target: source`), checked for its target's form (mapping.md §1.2, §3.4).
    static func loadMappings(_ node: ModelNode, targets: [String], sources: [String], what: String, example: String) throws(ModelError) -> [(target: String, source: String)] {
        var out: [(target: String, source: String)] = []
        for e in try node.mapping(what) {
            guard let prefix = targets.first(where: { e.key.hasPrefix($0) }), e.key.count > prefix.count else {
                throw ModelError(e.keyLocation, "`\(e.key)` is not a target \(what) can map to",
                                 hint: "targets: \(targets.map { $0 + "NAME" }.joined(separator: ", ")); e.g. \(example)")
            }
            let source = try e.value.string(e.key)
            guard (source.count >= 2 && source.hasPrefix("'") && source.hasSuffix("'")) || sources.contains(where: { source.hasPrefix($0) }) else {
                throw ModelError(e.value.location, "`\(source)` is not a source \(what) can map from",
                                 hint: "a 'static value' in single quotes, " + sources.map { $0 + "…" }.joined(separator: ", "))
            }
            out.append((e.key, source))
        }
        return out
    }

    static func contentHandling(_ node: ModelNode?) throws(ModelError) -> String? {
        guard let node else { return nil }
        let v = try node.string("contentHandling")
        guard v == "CONVERT_TO_TEXT" || v == "CONVERT_TO_BINARY" else {
            throw ModelError(node.location, "unknown contentHandling '\(v)'", hint: "CONVERT_TO_TEXT or CONVERT_TO_BINARY (omit it to pass payloads through)")
        }
        return v
    }

    static func checkStatus(_ s: String, at loc: SourceLocation) throws(ModelError) {
        guard let n = Int(s), (100...599).contains(n) else {
            throw ModelError(loc, "'\(s)' is not an HTTP status code", hint: "use a number from 100 to 599, e.g. \"200\"")
        }
    }

    /// Adds the implicit parents (`/orders/{id}` implies `/orders` and `/`), checks AWS's tree rules and sorts by path.
    static func completeTree(_ given: [Resource], apiId: String, location: SourceLocation) throws(ModelError) -> [Resource] {
        var byPath: [String: Resource] = [:]
        var order: [String] = []
        for r in given {
            if byPath[r.path] != nil { throw ModelError(r.location, "resource \(r.path) is defined twice") }
            byPath[r.path] = r
            order.append(r.path)
        }
        for r in given {
            var p = r.path
            while p != "/" {
                p = parentPath(p)
                if byPath[p] == nil {
                    byPath[p] = Resource(id: derivedId(apiId: apiId, path: p), path: p, methods: [], location: r.location)
                    order.append(p)
                }
            }
        }
        if byPath["/"] == nil {
            byPath["/"] = Resource(id: derivedId(apiId: apiId, path: "/"), path: "/", methods: [], location: location)
        }
        let all = byPath.values.sorted { $0.path < $1.path }
        // AWS's tree rules (rest-request-flow.md §2.1 rule 26).
        for r in all where r.path != "/" {
            let parent = parentPath(r.path)
            if let pp = byPath[parent], pp.pathPart.hasSuffix("+}") {
                throw ModelError(r.location, "Cannot create a child of a resource with a greedy path variable: \(pp.pathPart)",
                                 hint: "a {name+} resource matches every deeper path itself; remove \(r.path)")
            }
        }
        // One variable part per level: the second one written is the error, naming the first (rule 26).
        var variableChild: [String: Resource] = [:]
        for r in order.compactMap({ byPath[$0] }) where r.path != "/" && r.pathPart.hasPrefix("{") {
            let parent = parentPath(r.path)
            if let first = variableChild[parent] {
                throw ModelError(r.location, "A sibling (\(first.pathPart)) of this resource already has a variable path part -- only one is allowed",
                                 hint: "one level of the resource tree can hold one {variable}; rename or merge \(r.path)")
            }
            variableChild[parent] = r
        }
        var seenIds: [String: String] = [:]
        for r in all {
            if let other = seenIds[r.id] { throw ModelError(r.location, "resources \(other) and \(r.path) have the same id \(r.id)") }
            seenIds[r.id] = r.path
        }
        return all
    }

    static func parentPath(_ p: String) -> String {
        guard let i = p.lastIndex(of: "/"), i != p.startIndex else { return "/" }
        return String(p[..<i])
    }

    /// A stable 6-character id (like AWS's resource ids) from the API id and path, so traces and ARNs do not change between runs.
    public static func derivedId(apiId: String, path: String) -> String {
        var h: UInt64 = 0xcbf29ce484222325
        for b in (apiId + "|" + path).utf8 { h ^= UInt64(b); h = h &* 0x100000001b3 }
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        var s = ""
        for _ in 0..<6 { s.append(alphabet[Int(h % 36)]); h /= 36 }
        return s
    }
}

struct LoadContext {
    var notes: [ModelNote] = []
}

/// Reads one mapping of the model, checking its keys against AWS's field names.
struct MapReader {
    let entries: [(key: String, keyLocation: SourceLocation, value: ModelNode)]
    let location: SourceLocation

    init(_ node: ModelNode, keys: KeySet, path: String, ctx: inout LoadContext, allowNull: Bool = false) throws(ModelError) {
        switch node {
        case .mapping(let e, let l):
            entries = e
            location = l
        case .null(let l) where allowNull:
            entries = []
            location = l
        default:
            throw ModelError(node.location, "expected a mapping at \(path.isEmpty ? "the top level" : path), found \(node.kindName)")
        }
        for e in entries {
            if !keys.known.contains(e.key) {
                let hint = Suggest.closest(to: e.key, in: keys.known).map { "did you mean `\($0)`?" }
                    ?? "known keys here: \(keys.known.joined(separator: ", "))"
                throw ModelError(e.keyLocation, "unknown key `\(e.key)` in \(path.isEmpty ? "the model" : path)", hint: hint)
            }
            if !keys.simulated.contains(e.key) {
                ctx.notes.append(ModelNote(location: e.keyLocation, path: path.isEmpty ? e.key : "\(path).\(e.key)",
                                           message: "read but not simulated yet"))
            }
        }
    }

    subscript(key: String) -> ModelNode? { entries.first { $0.key == key }?.value }
}

extension ModelNode {
    func string(_ what: String) throws(ModelError) -> String {
        if case .scalar(let s, _, _) = self { return s }
        throw ModelError(location, "`\(what)` must be a string, found \(kindName)")
    }

    /// A mapping template: at most 300 KB (mapping.md §4.1 rule 40 [DOC D7]; gwsh reads KB as 1024 bytes).
    func mappingTemplate(_ what: String) throws(ModelError) -> String {
        let t = try templateString(what)
        let limit = 300 * 1024
        guard t.utf8.count <= limit else {
            throw ModelError(location, "the template for \(what) is \(t.utf8.count) bytes; API Gateway accepts mapping templates of at most 300 KB",
                             hint: "split the work between the request and response templates, or move logic into the integration")
        }
        return t
    }

    /// An HTTP API parameter mapping value: a string, or `{ lua: NAME }` for a Lua mapper that returns the value.
    func mappingValue(_ what: String) throws(ModelError) -> String {
        if case .mapping = self { return try templateString(what) }
        return try string(what)
    }

    func templateString(_ what: String) throws(ModelError) -> String {
        if case .null = self { return "" }
        if case .scalar(let s, _, _) = self { return s }
        // A Lua mapper in place of a template (issue 11): `{ lua: NAME }`, a function a plugin registers with
        // gateway.mapper(NAME, …). Kept as a marked template text that the gateway hands to the mapper.
        if case .mapping(let entries, _) = self, entries.count == 1, entries[0].key == "lua", case .scalar(let name, _, _) = entries[0].value, !name.isEmpty {
            return LuaMapperReference.marker + name
        }
        throw ModelError(location, "the template for \(what) must be a string, found \(kindName)",
                         hint: "quote the template; YAML block scalars (|) keep it verbatim")
    }

    func bool(_ what: String) throws(ModelError) -> Bool {
        if case .scalar(let s, _, _) = self {
            if s == "true" || s == "True" { return true }
            if s == "false" || s == "False" { return false }
        }
        throw ModelError(location, "`\(what)` must be true or false, found \(kindName)")
    }

    func int(_ what: String) throws(ModelError) -> Int {
        if case .scalar(let s, _, _) = self, let i = Int(s) { return i }
        throw ModelError(location, "`\(what)` must be a whole number, found \(kindName)")
    }

    func list(_ what: String) throws(ModelError) -> [ModelNode] {
        if case .sequence(let a, _) = self { return a }
        if case .null = self { return [] }
        throw ModelError(location, "`\(what)` must be a list, found \(kindName)")
    }

    func mapping(_ what: String) throws(ModelError) -> [(key: String, keyLocation: SourceLocation, value: ModelNode)] {
        if case .mapping(let m, _) = self { return m }
        if case .null = self { return [] }
        throw ModelError(location, "`\(what)` must be a mapping, found \(kindName)")
    }
}

/// How a Lua mapper named in a model travels in a template's place.
public enum LuaMapperReference {
    public static let marker = "\u{1}lua:"
    /// The mapper's name when the template text stands for one.
    public static func name(_ template: String) -> String? {
        template.hasPrefix(marker) ? String(template.dropFirst(marker.count)) : nil
    }
}
