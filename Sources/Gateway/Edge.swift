import Crypto
import Foundation
import GatewayModel

/// The network in front of API Gateway (reference/domains.md): DNS with CNAME chains, the TLS certificate each
/// endpoint presents for an SNI name, custom domain names with their base path mappings, and CloudFront
/// distributions with their origins. Pure: a model and a request by URL in, the hops and an answer (or the client's
/// failure) out. The shell's `send URL`, `curl`, `dig` and `openssl s_client` all read from here.
public struct EdgeNetwork {
    public let world: GatewayWorld

    public init(world: GatewayWorld) { self.world = world }

    // MARK: - Endpoints and addresses

    /// What answers at an address.
    public enum Endpoint: Sendable {
        /// An API's default endpoint `{api-id}.execute-api.{region}.amazonaws.com` (REST or HTTP API).
        case api(id: String)
        /// The Regional endpoint behind custom domains' `d-….execute-api.{region}.amazonaws.com` names.
        case regionalDomains(target: String)
        /// A CloudFront distribution of the model, or the one API Gateway made for an edge-optimized custom domain.
        case distribution(Distribution)
        case edgeDomain(CustomDomain)

        public var description: String {
            switch self {
            case .api(let id): return "API \(id)'s default endpoint"
            case .regionalDomains(let t): return "the Regional custom-domain endpoint \(t)"
            case .distribution(let d): return "CloudFront distribution \(d.id) (\(d.domainName))"
            case .edgeDomain(let d): return "the CloudFront distribution of edge-optimized domain \(d.domainName) (\(d.targetDomainName))"
            }
        }
    }

    /// The names gwsh's AWS answers for without a record in the model: every API's default host, every custom domain's
    /// target and every distribution's `….cloudfront.net` name, each at a stable made-up address.
    public var builtInHosts: [(name: String, endpoint: Endpoint)] {
        var out: [(String, Endpoint)] = []
        for api in world.restApis { out.append(("\(api.id.lowercased()).execute-api.\(world.region).amazonaws.com", .api(id: api.id))) }
        for api in world.httpApis { out.append(("\(api.apiId.lowercased()).execute-api.\(world.region).amazonaws.com", .api(id: api.apiId))) }
        for d in world.edge.domainNames {
            out.append((d.targetDomainName, d.endpointType == .edge ? .edgeDomain(d) : .regionalDomains(target: d.targetDomainName)))
        }
        for d in world.edge.distributions { out.append((d.domainName, .distribution(d))) }
        return out
    }

    /// A stable address for a built-in name (AWS's real addresses change; these only need to be consistent).
    public static func address(of name: String) -> String {
        let d = Array(SHA256.hash(data: Array(("gwsh-address|" + name).utf8)))
        let first: UInt8 = name.hasSuffix(".cloudfront.net") ? 18 : 3
        return "\(first).\(Int(d[0]) % 250 + 1).\(d[1]).\(Int(d[2]) % 250 + 1)"
    }

    public func endpoint(atAddress address: String) -> (name: String, endpoint: Endpoint)? {
        builtInHosts.first { Self.address(of: $0.name) == address }
    }

    // MARK: - DNS

    public struct DnsRecordAnswer: Sendable, Equatable {
        public var name: String
        public var ttl: Int
        public var type: String
        public var value: String

        public init(name: String, ttl: Int, type: String, value: String) {
            self.name = name
            self.ttl = ttl
            self.type = type
            self.value = value
        }
    }

    public struct DnsAnswer: Sendable {
        public var question: String
        public var records: [DnsRecordAnswer]
        public var nxdomain: Bool
        /// The last name of the CNAME chain (whose A record answered).
        public var finalName: String
        public var address: String? { records.last { $0.type == "A" }?.value }
    }

    /// A query for the A record of `name`: the model's records first (CNAME chains followed, a Route 53 alias answered
    /// as its target's A record), then the built-in AWS names; anything else is NXDOMAIN (domains.md §4.3).
    public func resolve(_ name: String) -> DnsAnswer {
        let question = DnsRecord.normalized(name)
        var records: [DnsRecordAnswer] = []
        var current = question
        for _ in 0..<10 {
            if let r = world.edge.dns[current] {
                switch r.value {
                case .cname(let target):
                    records.append(.init(name: current, ttl: r.ttl, type: "CNAME", value: target))
                    current = target
                    continue
                case .a(let addresses):
                    for a in addresses { records.append(.init(name: current, ttl: r.ttl, type: "A", value: a)) }
                    return DnsAnswer(question: question, records: records, nxdomain: false, finalName: current)
                case .alias(let target):
                    // An alias answers with the target's addresses under the alias's own name (domains.md §4.3).
                    let inner = resolve(target)
                    for a in inner.records where a.type == "A" { records.append(.init(name: current, ttl: 60, type: "A", value: a.value)) }
                    return DnsAnswer(question: question, records: records, nxdomain: inner.nxdomain && records.isEmpty, finalName: inner.finalName)
                }
            }
            if builtInHosts.contains(where: { $0.name == current }) {
                records.append(.init(name: current, ttl: 60, type: "A", value: Self.address(of: current)))
                return DnsAnswer(question: question, records: records, nxdomain: false, finalName: current)
            }
            break
        }
        return DnsAnswer(question: question, records: records, nxdomain: true, finalName: current)
    }


    // MARK: - TLS

    public enum TLSVersion: Int, Sendable, Comparable, CaseIterable {
        case ssl3, tls1_0, tls1_1, tls1_2, tls1_3
        public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
        public var name: String { ["SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"][rawValue] }
    }

    public struct ServedCertificate: Sendable, Equatable {
        public var subject: String
        public var names: [String]
        public var issuer: String
        public var notBefore: Int64
        public var notAfter: Int64
        /// Where it comes from (for the trace).
        public var source: String

        public func covers(_ host: String) -> Bool { names.contains { Certificate.matches(pattern: $0, host: host) } }
    }

    /// AWS's own certificates (domains.md §1.1 rules 3–4): the subject is recorded; the issuer's current name is
    /// UNCONFIRMED, and the validity window is gwsh's.
    static func awsCertificate(_ name: String) -> ServedCertificate {
        ServedCertificate(subject: name, names: [name], issuer: "C = US, O = Amazon, CN = Amazon RSA 2048 M02",
                          notBefore: 1_767_225_600_000, notAfter: 1_798_761_599_000, source: "AWS's own certificate for \(name)")
    }

    func served(_ c: Certificate) -> ServedCertificate {
        ServedCertificate(subject: c.domainName, names: c.names, issuer: c.issuer, notBefore: c.notBefore, notAfter: c.notAfter, source: "ACM certificate \(c.arn)")
    }

    /// The certificate an endpoint presents for an SNI name (domains.md §4.5): chosen by SNI, never by Host; a name the
    /// endpoint does not serve gets its default certificate (for a `d-…` host that is UNCONFIRMED, §7 item 3).
    public func certificate(at endpoint: Endpoint, sni: String?) -> ServedCertificate {
        let defaultAPI = Self.awsCertificate("*.execute-api.\(world.region).amazonaws.com")
        switch endpoint {
        case .api:
            return defaultAPI
        case .regionalDomains:
            if let sni, let d = world.edge.domain(named: sni), d.endpointType == .regional, let c = world.edge.certificate(arn: d.certificateArn) { return served(c) }
            return defaultAPI
        case .distribution(let dist):
            if let sni, dist.aliases.contains(where: { Certificate.matches(pattern: $0, host: sni) }), let arn = dist.certificateArn,
               let c = world.edge.certificate(arn: arn) { return served(c) }
            return Self.awsCertificate("*.cloudfront.net")
        case .edgeDomain(let d):
            if let sni, Certificate.matches(pattern: d.domainName, host: sni), let c = world.edge.certificate(arn: d.certificateArn) { return served(c) }
            return Self.awsCertificate("*.cloudfront.net")
        }
    }

    /// The TLS versions an endpoint accepts for an SNI name (domains.md §2.3): TLS 1.2–1.3 by default and for a
    /// `TLS_1_2` domain; `TLS_1_0` adds 1.0 and 1.1. SSLv3 never.
    public func tlsRange(at endpoint: Endpoint, sni: String?) -> ClosedRange<TLSVersion> {
        switch endpoint {
        case .regionalDomains, .edgeDomain:
            if let sni, let d = world.edge.domain(named: sni), d.securityPolicy == "TLS_1_0" { return .tls1_0 ... .tls1_3 }
            return .tls1_2 ... .tls1_3
        case .api(let id):
            // A REST API's own endpoint defaults to TLS_1_0 (domains.md §2.3 rule 5); HTTP APIs TLS 1.2 (rule 6).
            return world.restApi(id: id) != nil ? .tls1_0 ... .tls1_3 : .tls1_2 ... .tls1_3
        case .distribution:
            return .tls1_0 ... .tls1_3
        }
    }

    /// What the client's check of the certificate finds (the client's job, domains.md §4.5 rule 2).
    public enum CertificateProblem: Sendable, Equatable {
        case nameMismatch, expired, notYetValid
    }

    public static func check(_ cert: ServedCertificate, host: String, nowMillis: Int64) -> CertificateProblem? {
        if nowMillis > cert.notAfter { return .expired }
        if nowMillis < cert.notBefore { return .notYetValid }
        return cert.covers(host) ? nil : .nameMismatch
    }
}

/// A request by URL, as a client sends it: the method, the URL, headers, body, and what the client checks.
public struct URLRequest: Sendable {
    public var method: String
    public var url: String
    public var headers: HeaderFields
    public var body: [UInt8]?
    /// false for `curl -k`: the certificate is not checked.
    public var verifyCertificate = true
    public var tlsMin: EdgeNetwork.TLSVersion = .tls1_2
    public var tlsMax: EdgeNetwork.TLSVersion = .tls1_3
    public var sourceIp = "203.0.113.10"

    public init(method: String, url: String, headers: HeaderFields = HeaderFields(), body: [UInt8]? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }

    /// scheme, host, port and path+query of the URL (nil: not an http(s) URL).
    public var parts: (scheme: String, host: String, port: Int, path: String)? {
        guard let schemeEnd = url.range(of: "://") else { return nil }
        let scheme = url[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "https" || scheme == "http" else { return nil }
        let rest = url[schemeEnd.upperBound...]
        let slash = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        let authority = rest[..<slash]
        var path = String(rest[slash...])
        if path.isEmpty { path = "/" } else if path.hasPrefix("?") { path = "/" + path }
        var host = String(authority), port = scheme == "https" ? 443 : 80
        if let colon = authority.lastIndex(of: ":"), let p = Int(authority[authority.index(after: colon)...]) {
            host = String(authority[..<colon])
            port = p
        }
        guard !host.isEmpty else { return nil }
        return (scheme, host.lowercased(), port, path)
    }
}

/// How a request by URL ended before (or instead of) an HTTP answer: what the client reports.
public enum EdgeFailure: Sendable, Equatable {
    case couldNotResolve(host: String)
    case couldNotConnect(host: String, port: Int)
    case tlsProtocolVersion
    case certificate(EdgeNetwork.CertificateProblem, host: String)
}

/// The edge part of an exchange: the hops, what DNS said, the certificate and TLS version, and the failure if any.
public struct EdgeInfo: Sendable {
    public var dns: EdgeNetwork.DnsAnswer?
    public var address: String?
    public var certificate: EdgeNetwork.ServedCertificate?
    public var tlsVersion: EdgeNetwork.TLSVersion?
    public var failure: EdgeFailure?
    /// Set when CloudFront answered the viewer.
    public var distribution: String?

    public init(dns: EdgeNetwork.DnsAnswer? = nil, address: String? = nil, certificate: EdgeNetwork.ServedCertificate? = nil,
                tlsVersion: EdgeNetwork.TLSVersion? = nil, failure: EdgeFailure? = nil, distribution: String? = nil) {
        self.dns = dns
        self.address = address
        self.certificate = certificate
        self.tlsVersion = tlsVersion
        self.failure = failure
        self.distribution = distribution
    }
}
