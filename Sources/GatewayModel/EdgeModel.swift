import Foundation

/// The edge of a model (reference/domains.md): DNS records, ACM certificates, custom domain names with their base
/// path and API mappings, and CloudFront distributions in front of them. MODEL.md's top-level `dns`,
/// `certificates`, `domainNames`, `cloudFront`.
public struct EdgeWorld: Sendable {
    /// Records by owner name (lower case, no final dot).
    public var dns: [String: DnsRecord] = [:]
    public var certificates: [Certificate] = []
    public var domainNames: [CustomDomain] = []
    public var distributions: [Distribution] = []

    public init() {}

    public func certificate(arn: String) -> Certificate? { certificates.first { $0.arn == arn } }
    public func domain(named name: String) -> CustomDomain? {
        let n = name.lowercased()
        // An exact name first, then a wildcard domain (`*.example.com` covers one label: domains.md §2.5).
        return domainNames.first { $0.domainName.lowercased() == n }
            ?? domainNames.first { $0.domainName.hasPrefix("*.") && Certificate.matches(pattern: $0.domainName, host: n) }
    }
}

/// One DNS record set: a CNAME, A addresses, or a Route 53 alias (answered as A records of its target).
public struct DnsRecord: Sendable {
    public enum Value: Sendable, Equatable {
        case cname(String)
        case a([String])
        case alias(String)
    }
    public var name: String
    public var value: Value
    public var ttl: Int
    public var location: SourceLocation

    /// A DNS name as records hold it: lower case, without the final dot.
    public static func normalized(_ name: String) -> String {
        var h = name.lowercased()
        while h.hasSuffix(".") { h.removeLast() }
        return h
    }

    /// Whether the text is a dotted IPv4 address.
    public static func isIPv4(_ s: String) -> Bool {
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { UInt8($0) != nil }
    }

    public init(name: String, value: Value, ttl: Int, location: SourceLocation) {
        self.name = name
        self.value = value
        self.ttl = ttl
        self.location = location
    }
}

/// An ACM certificate (domains.md §2.6): the names it covers, where it lives, and when it is valid.
public struct Certificate: Sendable {
    public var arn: String
    public var domainName: String
    public var subjectAlternativeNames: [String]
    public var region: String
    public var account: String
    public var status: String
    public var notBefore: Int64
    public var notAfter: Int64
    /// The issuer as `openssl` prints it (gwsh's stand-in for ACM's Amazon issuer: the current name is UNCONFIRMED,
    /// domains.md §1.1 rule 4).
    public var issuer: String
    public var location: SourceLocation?

    /// Every name the certificate covers: the domain name and the SANs.
    public var names: [String] { [domainName] + subjectAlternativeNames.filter { $0 != domainName } }

    /// Whether one name pattern covers a host: exact (case-insensitive), or `*.` covering exactly one label
    /// (domains.md §1.1 rule 5, §2.5 rule 7 [LOCAL]).
    public static func matches(pattern: String, host: String) -> Bool {
        let p = pattern.lowercased(), h = host.lowercased()
        if p == h { return true }
        guard p.hasPrefix("*.") else { return false }
        let suffix = p.dropFirst(1)  // ".example.com"
        guard h.hasSuffix(suffix) else { return false }
        let label = h.dropLast(suffix.count)
        return !label.isEmpty && !label.contains(".")
    }

    public func covers(_ host: String) -> Bool { names.contains { Self.matches(pattern: $0, host: host) } }
}

/// A custom domain name (domains.md §2) with its mappings (§3).
public struct CustomDomain: Sendable {
    public var domainName: String
    public var endpointType: EndpointType
    public var certificateArn: String
    public var securityPolicy: String
    /// REGIONAL: `d-xxxxxxxxxx.execute-api.REGION.amazonaws.com`; EDGE: `dxxxxxxxxxxxxx.cloudfront.net` — the
    /// "API Gateway domain name" a DNS record must point at (domains.md §1.3).
    public var targetDomainName: String
    public var mappings: [Mapping]
    public var location: SourceLocation

    public struct Mapping: Sendable {
        /// Empty for `(none)`; otherwise without leading or trailing slashes.
        public var basePath: String
        public var apiId: String
        /// nil for `(none)`: the stage is the next path segment (domains.md §3.1 rule 3).
        public var stage: String?
        public var location: SourceLocation
    }
}

/// A CloudFront distribution (domains.md §5): alternate names with their certificate, and the origin its default
/// behaviour sends requests to.
public struct Distribution: Sendable {
    public var id: String
    public var domainName: String
    public var aliases: [String]
    public var certificateArn: String?
    public var origins: [Origin]
    /// Cache behaviours in order: a path pattern and the origin it sends to; the default behaviour is the first origin.
    public var behaviors: [(pathPattern: String, originId: String)] = []
    public var location: SourceLocation

    /// The origin for a viewer path: the first behaviour whose pattern matches (`*` any run, `?` one character),
    /// else the default behaviour's origin.
    public func origin(forPath path: String) -> Origin {
        for b in behaviors where Distribution.glob(b.pathPattern, path) {
            if let o = origins.first(where: { $0.id == b.originId }) { return o }
        }
        return origins[0]
    }

    public static func glob(_ pattern: String, _ text: String) -> Bool {
        let p = Array(pattern), t = Array(text)
        var memo: [Int: Bool] = [:]
        func match(_ i: Int, _ j: Int) -> Bool {
            if let m = memo[i * (t.count + 1) + j] { return m }
            let r: Bool
            if i == p.count { r = j == t.count }
            else if p[i] == "*" { r = match(i + 1, j) || (j < t.count && match(i, j + 1)) }
            else { r = j < t.count && (p[i] == "?" || p[i] == t[j]) && match(i + 1, j + 1) }
            memo[i * (t.count + 1) + j] = r
            return r
        }
        return match(0, 0)
    }

    public struct Origin: Sendable {
        public var id: String
        public var domainName: String
        public var originPath: String
        /// `https-only`, `http-only` or `match-viewer`.
        public var protocolPolicy: String
        /// `SSLv3`, `TLSv1`, `TLSv1.1` or `TLSv1.2`.
        public var minimumSslProtocol: String
        /// Whether the viewer's Host header is forwarded (an `AllViewer` origin request policy) instead of the
        /// origin's domain name (`AllViewerExceptHostHeader`, domains.md §5.2).
        public var forwardHost: Bool
    }
}

extension ModelKeys {
    static let dnsRecord = KeySet(known: ["CNAME", "A", "ALIAS", "ttl"], simulated: ["CNAME", "A", "ALIAS", "ttl"])
    static let certificate = KeySet(known: ["arn", "domainName", "subjectAlternativeNames", "region", "status", "notBefore", "notAfter", "issuer"],
                                    simulated: ["arn", "domainName", "subjectAlternativeNames", "region", "status", "notBefore", "notAfter", "issuer"])
    /// botocore's DomainName shape (v1) with the v2 names gwsh also reads, plus the mappings inside it (MODEL.md).
    static let domainName = KeySet(
        known: ["domainName", "endpointConfiguration", "regionalCertificateArn", "certificateArn", "securityPolicy", "regionalDomainName",
                "distributionDomainName", "basePathMappings", "apiMappings", "domainNameStatus", "mutualTlsAuthentication", "tags",
                "ownershipVerificationCertificateArn", "routingMode", "endpointAccessMode", "regionalHostedZoneId", "distributionHostedZoneId"],
        simulated: ["domainName", "endpointConfiguration", "regionalCertificateArn", "certificateArn", "securityPolicy", "regionalDomainName",
                    "distributionDomainName", "basePathMappings", "apiMappings", "domainNameStatus", "tags", "regionalHostedZoneId", "distributionHostedZoneId"])
    static let basePathMapping = KeySet(known: ["basePath", "restApiId", "stage"], simulated: ["basePath", "restApiId", "stage"])
    static let apiMapping = KeySet(known: ["apiMappingKey", "apiId", "stage", "apiMappingId"], simulated: ["apiMappingKey", "apiId", "stage", "apiMappingId"])
    static let distribution = KeySet(known: ["id", "domainName", "aliases", "viewerCertificate", "origins", "behaviors", "enabled", "comment"],
                                     simulated: ["id", "domainName", "aliases", "viewerCertificate", "origins", "behaviors", "enabled", "comment"])
    static let origin = KeySet(known: ["id", "domainName", "originPath", "protocolPolicy", "minimumSslProtocol", "originRequestPolicy", "customHeaders"],
                               simulated: ["id", "domainName", "originPath", "protocolPolicy", "minimumSslProtocol", "originRequestPolicy"])
}

extension ModelLoader {
    static func loadEdge(_ top: MapReader, world: inout GatewayWorld, ctx: inout LoadContext) throws(ModelError) {
        var edge = EdgeWorld()
        for e in try top["dns"]?.mapping("dns") ?? [] {
            let name = normalizedHost(e.key)
            let m = try MapReader(e.value, keys: ModelKeys.dnsRecord, path: "dns.\(e.key)", ctx: &ctx)
            let given = ["CNAME", "A", "ALIAS"].filter { m[$0] != nil }
            guard given.count == 1 else {
                throw ModelError(e.value.location, "the record of \(e.key) needs exactly one of CNAME, A or ALIAS" + (given.isEmpty ? "" : ", not \(given.joined(separator: " and "))"),
                                 hint: "e.g. \(e.key): { CNAME: d-abcde12345.execute-api.us-east-1.amazonaws.com }")
            }
            let value: DnsRecord.Value
            switch given[0] {
            case "CNAME": value = .cname(normalizedHost(try m["CNAME"]!.string("CNAME")))
            case "ALIAS": value = .alias(normalizedHost(try m["ALIAS"]!.string("ALIAS")))
            default:
                let node = m["A"]!
                let list: [ModelNode]
                if case .sequence(let items, _) = node { list = items } else { list = [node] }
                var addresses: [String] = []
                for a in list {
                    let s = try a.string("A")
                    guard DnsRecord.isIPv4(s) else {
                        throw ModelError(a.location, "'\(s)' is not an IPv4 address", hint: "an A record holds addresses like 203.0.113.10; for a name use CNAME or ALIAS")
                    }
                    addresses.append(s)
                }
                value = .a(addresses)
            }
            if name.split(separator: ".").count == 2, case .cname = value {
                // A zone apex cannot be a CNAME (domains.md §2.1 rule 3 [DOC]).
                throw ModelError(e.keyLocation, "\(e.key) is a zone apex, which cannot be a CNAME", hint: "use ALIAS (a Route 53 alias A record) at the apex")
            }
            edge.dns[name] = DnsRecord(name: name, value: value, ttl: try m["ttl"]?.int("ttl") ?? 300, location: e.value.location)
        }
        for (i, node) in try (top["certificates"]?.list("certificates") ?? []).enumerated() {
            let m = try MapReader(node, keys: ModelKeys.certificate, path: "certificates[\(i)]", ctx: &ctx)
            guard let arnNode = m["arn"], let nameNode = m["domainName"] else {
                throw ModelError(node.location, "a certificate needs an `arn` and a `domainName`",
                                 hint: "e.g. { arn: \"arn:aws:acm:us-east-1:111111111111:certificate/1234\", domainName: \"*.example.com\" }")
            }
            let arn = try arnNode.string("arn")
            let parts = arn.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 6, parts[0] == "arn", parts[2] == "acm", parts[5].hasPrefix("certificate/") else {
                throw ModelError(arnNode.location, "'\(arn)' is not an ACM certificate ARN", hint: "arn:aws:acm:REGION:ACCOUNT:certificate/ID")
            }
            var sans: [String] = []
            for s in try m["subjectAlternativeNames"]?.list("subjectAlternativeNames") ?? [] { sans.append(try s.string("subjectAlternativeNames")) }
            func date(_ key: String, _ fallback: String) throws(ModelError) -> Int64 {
                let text = try m[key]?.string(key) ?? fallback
                guard let millis = ModelDates.parse(text) else {
                    throw ModelError(m[key]?.location ?? node.location, "\(key) '\(text)' is not a date", hint: "write it as 2026-01-01T00:00:00Z")
                }
                return millis
            }
            // ACM's default validity is 13 months; gwsh's default window covers the sessions' clock (2026-03-05).
            edge.certificates.append(Certificate(
                arn: arn, domainName: try nameNode.string("domainName"), subjectAlternativeNames: sans,
                region: try m["region"]?.string("region") ?? String(parts[3]), account: String(parts[4]),
                status: try m["status"]?.string("status") ?? "ISSUED",
                notBefore: try date("notBefore", "2026-01-01T00:00:00Z"), notAfter: try date("notAfter", "2027-01-31T23:59:59Z"),
                issuer: try m["issuer"]?.string("issuer") ?? "C = US, O = Amazon, CN = Amazon RSA 2048 M02", location: node.location))
        }
        world.edge = edge
        for (i, node) in try (top["domainNames"]?.list("domainNames") ?? []).enumerated() {
            world.edge.domainNames.append(try loadCustomDomain(node, path: "domainNames[\(i)]", world: world, ctx: &ctx))
        }
        for (i, node) in try (top["cloudFront"]?.list("cloudFront") ?? []).enumerated() {
            world.edge.distributions.append(try loadDistribution(node, path: "cloudFront[\(i)]", world: world, ctx: &ctx))
        }
    }

    static func normalizedHost(_ s: String) -> String { DnsRecord.normalized(s) }

    static func loadCustomDomain(_ node: ModelNode, path: String, world: GatewayWorld, ctx: inout LoadContext) throws(ModelError) -> CustomDomain {
        let m = try MapReader(node, keys: ModelKeys.domainName, path: path, ctx: &ctx)
        guard let nameNode = m["domainName"] else { throw ModelError(node.location, "a custom domain needs a `domainName`", hint: "e.g. domainName: www.example.com") }
        let name = normalizedHost(try nameNode.string("domainName"))
        var type = EndpointType.regional
        if let ec = m["endpointConfiguration"] {
            let em = try MapReader(ec, keys: ModelKeys.endpointConfiguration, path: path + ".endpointConfiguration", ctx: &ctx)
            if let t = try em["types"]?.list("types").first {
                let text = try t.string("types")
                guard let v = EndpointType(rawValue: text), v != .private else {
                    throw ModelError(t.location, "custom domain endpoint type is REGIONAL or EDGE, not '\(text)'",
                                     hint: "private custom domains (since 2024-11-21, domains.md §2.2) are not simulated")
                }
                type = v
            }
        }
        let region = world.region
        // The certificate field and its Region rule, with AWS's messages (domains.md §2.6 C2 [REC]).
        let certNode = type == .edge ? m["certificateArn"] : (m["regionalCertificateArn"] ?? m["certificateArn"])
        guard let certNode else {
            throw ModelError(node.location, type == .edge ? "A certificate was not provided for the endpoint type EDGE." : "Certificate name must be specified",
                             hint: type == .edge ? "certificateArn: an ACM certificate in us-east-1" : "regionalCertificateArn: an ACM certificate in \(region)")
        }
        let arn = try certNode.string("certificateArn")
        guard let cert = world.edge.certificate(arn: arn) else {
            throw ModelError(certNode.location, "no certificate \(arn) in the model's `certificates`",
                             hint: "add it: certificates: [ { arn: \"\(arn)\", domainName: \"\(name)\" } ]")
        }
        let wanted = type == .edge ? "us-east-1" : region
        guard cert.region == wanted else {
            throw ModelError(certNode.location, "Invalid certificate ARN: \(arn). Certificate must be in '\(wanted)'.",
                             hint: type == .edge ? "an edge-optimized domain's certificate lives in us-east-1 (domains.md §2.6 C2)" : "a Regional domain's certificate lives in the API's Region (domains.md §2.6 C2)")
        }
        guard cert.status == "ISSUED" else {
            // ACM issues a certificate only once validated; the refusal's wording is UNCONFIRMED (domains.md §2.6 C6).
            throw ModelError(certNode.location, "certificate \(arn) is \(cert.status), not ISSUED", hint: "validate it in ACM (DNS or email) first (domains.md §2.6 C6)")
        }
        guard cert.account == world.account else {
            throw ModelError(certNode.location, "The certificate provided must be owned by the account creating the domain.", hint: "domains.md §2.6 C5")
        }
        if !cert.covers(name) {
            // What CreateDomainName says here is UNCONFIRMED (domains.md §2.6): gwsh loads it and notes it; clients then
            // see the name mismatch.
            ctx.notes.append(ModelNote(location: certNode.location, path: path, message: "certificate \(cert.domainName) does not cover \(name): clients will refuse it"))
        }
        let policy = try m["securityPolicy"]?.string("securityPolicy") ?? "TLS_1_2"
        let fallbackTarget = type == .edge
            ? "d" + derivedId(apiId: "cf", path: name) + derivedId(apiId: "cf2", path: name) + "x.cloudfront.net"
            : "d-" + derivedId(apiId: "domain", path: name) + "aaaa.execute-api.\(region).amazonaws.com"
        let target = normalizedHost(try (type == .edge ? m["distributionDomainName"] : m["regionalDomainName"])?.string("domainName") ?? fallbackTarget)
        var mappings: [CustomDomain.Mapping] = []
        for (i, mn) in try (m["basePathMappings"]?.list("basePathMappings") ?? []).enumerated() {
            let bm = try MapReader(mn, keys: ModelKeys.basePathMapping, path: path + ".basePathMappings[\(i)]", ctx: &ctx)
            guard let apiNode = bm["restApiId"] else { throw ModelError(mn.location, "a base path mapping needs a `restApiId`") }
            mappings.append(CustomDomain.Mapping(basePath: try bm["basePath"]?.string("basePath") ?? "(none)", apiId: try apiNode.string("restApiId"),
                                                 stage: try bm["stage"]?.string("stage"), location: mn.location))
        }
        for (i, mn) in try (m["apiMappings"]?.list("apiMappings") ?? []).enumerated() {
            let am = try MapReader(mn, keys: ModelKeys.apiMapping, path: path + ".apiMappings[\(i)]", ctx: &ctx)
            guard let apiNode = am["apiId"], let stageNode = am["stage"] else { throw ModelError(mn.location, "an API mapping needs an `apiId` and a `stage`") }
            mappings.append(CustomDomain.Mapping(basePath: try am["apiMappingKey"]?.string("apiMappingKey") ?? "", apiId: try apiNode.string("apiId"),
                                                 stage: try stageNode.string("stage"), location: mn.location))
        }
        for i in mappings.indices {
            var p = mappings[i].basePath
            if p == "(none)" { p = "" }
            while p.hasPrefix("/") { p.removeFirst() }
            while p.hasSuffix("/") { p.removeLast() }
            mappings[i].basePath = p
            if mappings[i].stage == "(none)" { mappings[i].stage = nil }
            let mp = mappings[i]
            // Allowed characters and length (domains.md §3.2 rules 2–3 [DOC]).
            let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789$-_.+!*'()/")
            guard mp.basePath.allSatisfy(allowed.contains), mp.basePath.count <= 300 else {
                throw ModelError(mp.location, "base path '\(mp.basePath)' has characters API Gateway does not allow (or is over 300 characters)", hint: "letters, digits and $-_.+!*'()/")
            }
            if mp.basePath.contains("/"), type != .regional || policy != "TLS_1_2" {
                throw ModelError(mp.location, "multi-level base path '\(mp.basePath)' needs a REGIONAL custom domain with securityPolicy TLS_1_2 (domains.md §3.3 rule 2)")
            }
            if let api = world.restApi(id: mp.apiId) {
                if let s = mp.stage, api.stage(named: s) == nil {
                    throw ModelError(mp.location, "API \(mp.apiId) has no stage '\(s)'", hint: "stages: " + api.stages.map(\.stageName).joined(separator: ", "))
                }
            } else if let api = world.httpApi(id: mp.apiId) {
                if let s = mp.stage, !api.stages.contains(where: { $0.stageName == s }) {
                    throw ModelError(mp.location, "HTTP API \(mp.apiId) has no stage '\(s)'")
                }
                guard type == .regional, policy == "TLS_1_2" else {
                    throw ModelError(mp.location, "HTTP APIs can only be mapped to a REGIONAL custom domain with securityPolicy TLS_1_2 (domains.md §3.2 rule 4)")
                }
            } else {
                throw ModelError(mp.location, "no API \(mp.apiId) in the model", hint: "map one of: " + (world.restApis.map(\.id) + world.httpApis.map(\.apiId)).joined(separator: ", "))
            }
        }
        if mappings.contains(where: { $0.basePath.isEmpty }), mappings.count > 1 {
            throw ModelError(node.location, "Only one base path mapping is allowed if the base path is empty.", hint: "domains.md §3.1 rule 5 [REC] (ConflictException)")
        }
        return CustomDomain(domainName: name, endpointType: type, certificateArn: arn, securityPolicy: policy, targetDomainName: target,
                            mappings: mappings, location: node.location)
    }

    static func loadDistribution(_ node: ModelNode, path: String, world: GatewayWorld, ctx: inout LoadContext) throws(ModelError) -> Distribution {
        let m = try MapReader(node, keys: ModelKeys.distribution, path: path, ctx: &ctx)
        let id = try m["id"]?.string("id") ?? "E" + derivedId(apiId: "cloudfront", path: path).uppercased()
        var aliases: [String] = []
        for a in try m["aliases"]?.list("aliases") ?? [] { aliases.append(normalizedHost(try a.string("aliases"))) }
        var certificateArn: String?
        if let vc = m["viewerCertificate"] {
            if case .scalar(let s, _, _) = vc { certificateArn = s } else {
                let vm = try MapReader(vc, keys: KeySet(known: ["acmCertificateArn", "minimumProtocolVersion", "sslSupportMethod"], simulated: ["acmCertificateArn"]),
                                       path: path + ".viewerCertificate", ctx: &ctx)
                certificateArn = try vm["acmCertificateArn"]?.string("acmCertificateArn")
            }
        }
        if let arn = certificateArn {
            guard let cert = world.edge.certificate(arn: arn) else { throw ModelError(node.location, "no certificate \(arn) in the model's `certificates`") }
            // CloudFront takes ACM certificates from us-east-1 only (the same rule as edge domains, domains.md §2.6 C2).
            guard cert.region == "us-east-1" else { throw ModelError(node.location, "CloudFront needs its certificate in us-east-1; \(arn) is in \(cert.region)") }
        } else if !aliases.isEmpty {
            throw ModelError(node.location, "distribution \(id) has alternate names but no viewerCertificate covering them",
                             hint: "viewerCertificate: { acmCertificateArn: arn:aws:acm:us-east-1:…:certificate/… }")
        }
        var origins: [Distribution.Origin] = []
        for (i, on) in try (m["origins"]?.list("origins") ?? []).enumerated() {
            let om = try MapReader(on, keys: ModelKeys.origin, path: path + ".origins[\(i)]", ctx: &ctx)
            guard let dn = om["domainName"] else { throw ModelError(on.location, "an origin needs a `domainName`", hint: "e.g. domainName: apigw.customdomain.com") }
            let policy = try om["protocolPolicy"]?.string("protocolPolicy") ?? "https-only"
            guard ["https-only", "http-only", "match-viewer"].contains(policy) else {
                throw ModelError(om["protocolPolicy"]!.location, "protocolPolicy is https-only, http-only or match-viewer, not '\(policy)'")
            }
            let minimum = try om["minimumSslProtocol"]?.string("minimumSslProtocol") ?? "TLSv1.2"
            guard ["SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2"].contains(minimum) else {
                throw ModelError(om["minimumSslProtocol"]!.location, "minimumSslProtocol is SSLv3, TLSv1, TLSv1.1 or TLSv1.2, not '\(minimum)'")
            }
            let requestPolicy = try om["originRequestPolicy"]?.string("originRequestPolicy") ?? "AllViewerExceptHostHeader"
            guard requestPolicy == "AllViewer" || requestPolicy == "AllViewerExceptHostHeader" else {
                throw ModelError(om["originRequestPolicy"]!.location, "originRequestPolicy is AllViewer or AllViewerExceptHostHeader, not '\(requestPolicy)'")
            }
            var originPath = try om["originPath"]?.string("originPath") ?? ""
            if !originPath.isEmpty, !originPath.hasPrefix("/") { originPath = "/" + originPath }
            while originPath.hasSuffix("/") { originPath.removeLast() }
            origins.append(Distribution.Origin(id: try om["id"]?.string("id") ?? "origin\(i + 1)", domainName: normalizedHost(try dn.string("domainName")),
                                               originPath: originPath, protocolPolicy: policy, minimumSslProtocol: minimum,
                                               forwardHost: requestPolicy == "AllViewer"))
        }
        guard !origins.isEmpty else { throw ModelError(node.location, "distribution \(id) has no origins", hint: "origins: [ { domainName: apigw.customdomain.com } ]") }
        var behaviors: [(pathPattern: String, originId: String)] = []
        for (i, bn) in try (m["behaviors"]?.list("behaviors") ?? []).enumerated() {
            let bm = try MapReader(bn, keys: KeySet(known: ["pathPattern", "originId"], simulated: ["pathPattern", "originId"]), path: path + ".behaviors[\(i)]", ctx: &ctx)
            guard let p = bm["pathPattern"], let o = bm["originId"] else { throw ModelError(bn.location, "a behaviour needs a `pathPattern` and an `originId`") }
            let originId = try o.string("originId")
            guard origins.contains(where: { $0.id == originId }) else {
                throw ModelError(o.location, "no origin '\(originId)' in distribution \(id)", hint: "origins: " + origins.map(\.id).joined(separator: ", "))
            }
            var pattern = try p.string("pathPattern")
            if !pattern.hasPrefix("/") { pattern = "/" + pattern }
            behaviors.append((pattern, originId))
        }
        // An alternate name that an edge-optimized custom domain already uses (its own distribution) is refused
        // with CloudFront's message (domains.md §2.6 [REC]).
        for a in aliases where world.edge.domainNames.contains(where: { $0.endpointType == .edge && $0.domainName == a }) {
            throw ModelError(node.location, "One or more of the CNAMEs you provided are already associated with a different resource. (Service: AmazonCloudFront; Status Code: 409; Error Code: CNAMEAlreadyExists)",
                             hint: "\(a) is an edge-optimized custom domain, whose distribution API Gateway owns")
        }
        let fallback = "d" + derivedId(apiId: "dist", path: id) + derivedId(apiId: "dist2", path: id) + "z.cloudfront.net"
        return Distribution(id: id, domainName: normalizedHost(try m["domainName"]?.string("domainName") ?? fallback), aliases: aliases,
                            certificateArn: certificateArn, origins: origins, behaviors: behaviors, location: node.location)
    }
}

/// ISO-8601 dates in models.
enum ModelDates {
    static func parse(_ s: String) -> Int64? {
        let f = ISO8601DateFormatter()
        if let d = f.date(from: s) { return Int64(d.timeIntervalSince1970 * 1000) }
        f.formatOptions = [.withFullDate]
        return f.date(from: s).map { Int64($0.timeIntervalSince1970 * 1000) }
    }
}
