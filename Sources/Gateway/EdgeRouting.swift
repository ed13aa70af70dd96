import GatewayModel

/// A request by URL through the edge (reference/domains.md): DNS → (CloudFront →) TLS with SNI → custom domain and
/// base path mapping, or the API's default endpoint → the API's pipeline. Each hop is a trace event of stage `edge`.
extension GatewayEnvironment {
    public func send(url r: URLRequest) -> Exchange {
        var hops: [TraceEvent] = []
        return sendThroughEdge(r, hops: &hops)
    }

    private func hop(_ hops: inout [TraceEvent], _ summary: String, fields: [(String, String)] = [], why: String? = nil, failed: Bool = false) {
        hops.append(TraceEvent(stage: .edge, millis: clock.millis, outcome: failed ? .failed : .ok, summary: summary, fields: fields, why: why))
    }

    /// An exchange that ended at the edge with no HTTP answer: the client reports the failure.
    private func clientFailure(_ r: URLRequest, _ failure: EdgeFailure, _ info: EdgeInfo, hops: [TraceEvent], why: String) -> Exchange {
        var x = Exchange(request: ClientRequest(method: r.method, rawPath: r.parts?.path ?? "/", headers: r.headers, body: r.body, host: r.parts?.host,
                                                sourceIp: r.sourceIp),
                         requestId: ids.uuid(), extendedRequestId: ids.extendedRequestId(), startMillis: clock.millis)
        x.trace = hops
        var info = info
        info.failure = failure
        x.edgeInfo = info
        x.connectionError = why
        return x
    }

    private func sendThroughEdge(_ r: URLRequest, hops: inout [TraceEvent]) -> Exchange {
        let net = EdgeNetwork(world: world)
        var info = EdgeInfo()
        guard let (scheme, host, port, path) = r.parts else {
            return clientFailure(r, .couldNotResolve(host: r.url), info, hops: hops, why: "'\(r.url)' is not an http:// or https:// URL")
        }
        // DNS (domains.md §4.3). An IP literal needs none.
        let isAddress = DnsRecord.isIPv4(host)
        var address = host
        if !isAddress {
            let dns = net.resolve(host)
            info.dns = dns
            let chain = dns.records.map { "\($0.type) \($0.value)" }.joined(separator: " → ")
            guard !dns.nxdomain, let a = dns.address else {
                hop(&hops, "dns: \(host) does not resolve (NXDOMAIN)" + (chain.isEmpty ? "" : " after \(chain)"), fields: [("host", host), ("status", "NXDOMAIN")],
                    why: "no record in the model's `dns` and no API, custom domain or distribution of this name", failed: true)
                return clientFailure(r, .couldNotResolve(host: host), info, hops: hops, why: "could not resolve host \(host)")
            }
            address = a
            hop(&hops, "dns: \(host) → \(chain)", fields: [("host", host), ("address", a), ("finalName", dns.finalName)] + dns.records.enumerated().map { ("record\($0.offset)", "\($0.element.type) \($0.element.value)") })
        }
        info.address = address
        guard let (endpointName, endpoint) = net.endpoint(atAddress: address) else {
            hop(&hops, "connect: nothing of the model answers at \(address):\(port)", fields: [("address", address)], failed: true)
            return clientFailure(r, .couldNotConnect(host: host, port: port), info, hops: hops, why: "nothing answers at \(address) port \(port)")
        }
        // API Gateway serves HTTPS only: "API Gateway doesn't support unencrypted HTTP endpoints" [SEED] (what a client
        // on port 80 sees is UNCONFIRMED: gwsh refuses the connection). CloudFront viewers may use HTTP.
        if scheme == "http" {
            if case .distribution = endpoint {} else {
                hop(&hops, "connect: \(endpoint.description) does not listen on port \(port): API Gateway serves HTTPS only", fields: [("address", address), ("port", String(port))],
                    why: "API Gateway doesn't support unencrypted HTTP endpoints (domains.md §5.1 rule 5 [SEED]); what the client sees is UNCONFIRMED: gwsh refuses the connection", failed: true)
                return clientFailure(r, .couldNotConnect(host: host, port: port), info, hops: hops, why: "\(endpoint.description) does not accept plain HTTP on port \(port)")
            }
        } else {
            let sni = isAddress ? nil : host
            let range = net.tlsRange(at: endpoint, sni: sni)
            guard r.tlsMax >= range.lowerBound, r.tlsMin <= range.upperBound else {
                hop(&hops, "tls: no common protocol version (client \(r.tlsMin.name)–\(r.tlsMax.name), server \(range.lowerBound.name)–\(range.upperBound.name))",
                    why: "the server answers with a protocol_version alert (domains.md §2.3 rule 12 [LOCAL]; that AWS sends the same alert is UNCONFIRMED)", failed: true)
                return clientFailure(r, .tlsProtocolVersion, info, hops: hops, why: "no TLS version in common")
            }
            let cert = net.certificate(at: endpoint, sni: sni)
            info.certificate = cert
            info.tlsVersion = min(r.tlsMax, range.upperBound)
            let problem = EdgeNetwork.check(cert, host: host, nowMillis: clock.millis)
            let certFields: [(String, String)] = [("sni", sni ?? ""), ("subject", cert.subject), ("names", cert.names.joined(separator: ",")), ("endpoint", endpointName)]
            if let problem, r.verifyCertificate {
                let what: String
                switch problem {
                case .nameMismatch: what = "it does not cover \(host)"
                case .expired: what = "it expired at \(VirtualClock(millis: cert.notAfter).iso8601)"
                case .notYetValid: what = "it is valid only from \(VirtualClock(millis: cert.notBefore).iso8601)"
                }
                var fix = ""
                if problem == .nameMismatch, case .api = endpoint, let domain = world.edge.domain(named: host) {
                    fix = "; \(host) is a custom domain of the model: point its CNAME (or alias) at the API Gateway domain name \(domain.targetDomainName), not at the stage URL host \(endpointName) (domains.md §1.3, §4.4 [SEED])"
                }
                hop(&hops, "tls: \(endpointName) presents \(cert.subject) for SNI \(sni ?? "(none)"), and \(what)", fields: certFields,
                    why: "the certificate is chosen by SNI (domains.md §4.5 rule 1); the client refuses it (rule 2)" + fix, failed: true)
                return clientFailure(r, .certificate(problem, host: host), info, hops: hops, why: "the certificate (\(cert.subject)) is refused: \(what)")
            }
            hop(&hops, "tls: \(endpointName) presents \(cert.subject) for SNI \(sni ?? "(none)")" + (problem != nil ? " (not checked: -k)" : ""),
                fields: certFields + [("version", info.tlsVersion?.name ?? "")], why: cert.source)
        }

        let hostHeader = r.headers["Host"].map(DnsRecord.normalized) ?? host
        var x: Exchange
        switch endpoint {
        case .api(let id):
            guard hostHeader == endpointName else {
                // The stage host reached with another Host (e.g. curl -k on the seed's wrong set-up): UNCONFIRMED,
                // likely 403 Forbidden (domains.md §4.1, §7 item 1).
                x = refuse(r, path: path, host: hostHeader, endpoint: world.restApi(id: id)?.endpointType ?? .regional, why: "\(endpointName) answers for API \(id) only; Host is \(hostHeader) (domains.md §4.1: the answer is UNCONFIRMED, gwsh gives the 403 Forbidden of §3.5)")
                break
            }
            x = pipeline(apiId: id, r, rawPath: path, host: host)
        case .regionalDomains, .edgeDomain:
            guard let domain = world.edge.domain(named: hostHeader) else {
                x = refuse(r, path: path, host: hostHeader, endpoint: { if case .edgeDomain = endpoint { return .edge } else { return .regional } }(),
                           why: "no custom domain \(hostHeader) at \(endpointName): API Gateway does not know the Host; a CloudFront origin request policy that forwards the viewer's Host (AllViewer) causes this — use AllViewerExceptHostHeader (domains.md §5.2 rules 1–2; the body is UNCONFIRMED)")
                break
            }
            x = throughMapping(domain, r, path: path, host: hostHeader, hops: &hops)
            // An edge-optimized domain is served by its own CloudFront distribution (domains.md §2.1 rule 1).
            if case .edgeDomain = endpoint { addCloudFrontHeaders(&x) }
        case .distribution(let dist):
            return throughDistribution(dist, r, path: path, host: hostHeader, hops: &hops, info: info)
        }
        x.trace.insert(contentsOf: hops, at: 0)
        if x.edgeInfo == nil { x.edgeInfo = info }
        return x
    }

    /// The API's pipeline, as if `use` had chosen it, with the host the client named.
    private func pipeline(apiId: String, _ r: URLRequest, rawPath: String, host: String) -> Exchange {
        let saved = currentApiId
        currentApiId = apiId
        defer { currentApiId = saved }
        var headers = r.headers
        if !headers.contains("Host") { headers.add("Host", host) }
        return send(ClientRequest(method: r.method, rawPath: rawPath, headers: headers, body: r.body, host: host, sourceIp: r.sourceIp))
    }

    /// 403 `{"message":"Forbidden"}` ForbiddenException from API Gateway's edge (domains.md §3.5 [3P], §7 item 1).
    private func refuse(_ r: URLRequest, path: String, host: String, endpoint: EndpointType, why: String) -> Exchange {
        let s = Stepper(request: ClientRequest(method: r.method, rawPath: path, headers: r.headers, body: r.body, host: host, sourceIp: r.sourceIp), env: self,
                        stages: [EdgeRefusal(failure: GatewayFailure(.default4XX, status: 403, message: "Forbidden", errorType: "ForbiddenException", why: why),
                                             endpointType: endpoint)])
        s.runToEnd()
        return s.exchange
    }

    /// Base path mapping selection and removal (domains.md §3.4): the longest mapping whose path is a whole-segment
    /// prefix of the request path (segment-wise matching is gwsh's reading, rule 7), else `(none)`, else 403.
    private func throughMapping(_ domain: CustomDomain, _ r: URLRequest, path: String, host: String, hops: inout [TraceEvent]) -> Exchange {
        let q = path.firstIndex(of: "?")
        let pathOnly = q.map { String(path[..<$0]) } ?? path
        let query = q.map { String(path[$0...]) } ?? ""
        let segments = pathOnly.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map(String.init)
        let candidates = domain.mappings.filter { m in
            let mp = m.basePath.split(separator: "/").map(String.init)
            return mp.count <= segments.count && Array(segments.prefix(mp.count)) == mp
        }
        guard let mapping = candidates.max(by: { $0.basePath.split(separator: "/").count < $1.basePath.split(separator: "/").count }) else {
            hop(&hops, "custom domain \(domain.domainName): no base path mapping matches \(pathOnly)", fields: [("domain", domain.domainName)],
                why: "mappings: " + (domain.mappings.isEmpty ? "none" : domain.mappings.map { $0.basePath.isEmpty ? "(none)" : $0.basePath }.joined(separator: ", ")), failed: true)
            return refuse(r, path: path, host: host, endpoint: domain.endpointType, why: "custom domain \(domain.domainName) has no base path mapping for \(pathOnly) and no (none) mapping: 403 Forbidden (domains.md §3.5 [3P]; the header is UNCONFIRMED)")
        }
        var rest = Array(segments.dropFirst(mapping.basePath.split(separator: "/").count))
        var stage = mapping.stage
        if stage == nil, !rest.isEmpty { stage = rest.removeFirst() }
        let restPath = "/" + rest.joined(separator: "/")
        let isHttp = world.httpApi(id: mapping.apiId) != nil
        let stageName = stage ?? ""
        let rawPath = (isHttp && stageName == "$default" ? "" : "/" + stageName) + (restPath == "/" && !(isHttp && stageName == "$default") ? "" : restPath) + query
        hop(&hops, "custom domain \(domain.domainName): base path \(mapping.basePath.isEmpty ? "(none)" : mapping.basePath) → API \(mapping.apiId), stage \(stage ?? "(from the path)"); the API sees \(rawPath.isEmpty ? "/" : rawPath)",
            fields: [("domain", domain.domainName), ("basePath", mapping.basePath.isEmpty ? "(none)" : mapping.basePath), ("api", mapping.apiId), ("stage", stageName)],
            why: "the longest matching mapping wins and its base path is removed before routing (domains.md §3.4 rules 2–6)")
        return pipeline(apiId: mapping.apiId, r, rawPath: rawPath.isEmpty ? "/" : rawPath, host: host)
    }

    /// CloudFront (domains.md §5): the origin request goes through the edge again — DNS, TLS with the origin's name —
    /// and the answer comes back with CloudFront's headers; an origin CloudFront cannot reach gives its 502 page.
    private func throughDistribution(_ dist: Distribution, _ r: URLRequest, path: String, host: String, hops: inout [TraceEvent], info: EdgeInfo) -> Exchange {
        let viewerPath = String(path.prefix { $0 != "?" })
        let origin = dist.origin(forPath: viewerPath)
        let scheme = origin.protocolPolicy == "http-only" ? "http" : "https"
        var headers = r.headers
        headers.remove("Host")
        if origin.forwardHost { headers.add("Host", host) }
        var originRequest = URLRequest(method: r.method, url: "\(scheme)://\(origin.domainName)\(origin.originPath)\(path)", headers: headers, body: r.body)
        originRequest.sourceIp = r.sourceIp
        // CloudFront checks the origin's certificate and negotiates from the origin's minimum protocol up.
        originRequest.tlsMin = EdgeNetwork.TLSVersion.allCases.first { $0.name == origin.minimumSslProtocol } ?? .tls1_2
        originRequest.tlsMax = .tls1_2  // CloudFront to origins: up to TLS 1.2 (egress TLS 1.2 is API Gateway's own rule, domains.md §2.3 rule 9; CloudFront's is UNCONFIRMED)
        hop(&hops, "cloudfront \(dist.id): origin request \(originRequest.url)" + (origin.forwardHost ? " with the viewer's Host \(host)" : ""),
            fields: [("distribution", dist.id), ("origin", origin.domainName), ("originPath", origin.originPath), ("protocolPolicy", origin.protocolPolicy),
                     ("host", origin.forwardHost ? host : origin.domainName)],
            why: "origin path + viewer path (domains.md §5.1 rule 2, UNCONFIRMED semantics); " + (origin.forwardHost
                ? "the AllViewer policy forwards the viewer's Host, which API Gateway does not know (§5.2 rule 1)"
                : "CloudFront sends the origin's own name as Host (AllViewerExceptHostHeader, §5.2 rule 2)")
                + (origin.minimumSslProtocol == "SSLv3" ? "; minimum origin protocol SSLv3: API Gateway does not support SSLv3 — choose TLSv1.2 (§5.1 rule 4 [SEED])" : ""))
        var x = sendThroughEdge(originRequest, hops: &hops)
        var info = info
        info.distribution = dist.id
        if let failure = x.edgeInfo?.failure {
            // CloudFront could not connect to (or trust) the origin: its own 502 page (domains.md §5.1 rule 5, §5.5;
            // 502 vs 504 and the current HTML are UNCONFIRMED).
            let reason: String
            switch failure {
            case .couldNotConnect: reason = "CloudFront could not connect to the origin \(origin.domainName) on port \(scheme == "http" ? 80 : 443)"
                + (scheme == "http" ? "; set the origin protocol policy to HTTPS only: API Gateway doesn't support unencrypted HTTP endpoints (domains.md §5.1 rule 5 [SEED])" : "")
            case .certificate: reason = "the origin's certificate does not match \(origin.domainName)"
            case .couldNotResolve: reason = "the origin \(origin.domainName) does not resolve"
            case .tlsProtocolVersion: reason = "no TLS version in common with the origin"
            }
            var page = Exchange(request: x.request, requestId: x.requestId, extendedRequestId: x.extendedRequestId, startMillis: x.startMillis)
            page.trace = hops
            page.trace.append(TraceEvent(stage: .edge, millis: clock.millis, outcome: .failed, summary: "cloudfront \(dist.id): 502 — \(reason)",
                                         why: "CloudFront answers with its own error page (domains.md §5.5; the status, 502 or 504, and the HTML are UNCONFIRMED)"))
            let edge = EdgeValues.draw(&ids, nowMillis: clock.millis)
            let body = CloudFrontText.errorPage(status: 502, reason: "CloudFront wasn't able to connect to the origin.", requestId: edge.cfId)
            page.response = GatewayHTTPResponse(status: 502, headers: HeaderFields([
                ("Content-Type", "text/html"), ("Content-Length", String(body.utf8.count)), ("Connection", "keep-alive"),
                ("Server", "CloudFront"), ("Date", VirtualClock(millis: clock.millis).httpDate), ("X-Cache", "Error from cloudfront"),
                ("Via", edge.via), ("X-Amz-Cf-Pop", edge.cfPop), ("X-Amz-Cf-Id", edge.cfId)]), body: Array(body.utf8))
            info.failure = nil
            page.edgeInfo = info
            page.connectionError = nil
            return page
        }
        addCloudFrontHeaders(&x)
        x.trace = hops + x.trace.filter { $0.stage != .edge }
        if !origin.originPath.isEmpty, x.failure?.type == .missingAuthenticationToken {
            // The seed's warning: a wrong origin path gives 403 Missing Authentication Token (domains.md §5.1 rule 3).
            x.trace.append(TraceEvent(stage: .edge, millis: clock.millis, summary: "cloudfront \(dist.id): origin path \(origin.originPath) was put in front of the viewer path \(viewerPath)",
                                      why: "the API found no resource for \(origin.originPath)\(viewerPath): check the origin path (leave it empty for a custom-domain origin whose base path mappings the viewer path already names) (domains.md §5.1 rules 2–3 [SEED])"))
        }
        x.edgeInfo = info
        return x
    }
}

extension GatewayEnvironment {
    /// The origin's answer with what CloudFront adds (domains.md §5.4): X-Cache (Miss, or Error for an error status),
    /// Via, X-Amz-Cf-Pop, X-Amz-Cf-Id.
    func addCloudFrontHeaders(_ x: inout Exchange) {
        guard var resp = x.response else { return }
        let edge = EdgeValues.draw(&ids, nowMillis: clock.millis)
        resp.headers.set("X-Cache", resp.status >= 400 ? "Error from cloudfront" : "Miss from cloudfront")
        resp.headers.set("Via", edge.via)
        resp.headers.set("X-Amz-Cf-Pop", edge.cfPop)
        resp.headers.set("X-Amz-Cf-Id", edge.cfId)
        x.response = resp
    }
}

/// A stage that only refuses: the edge's own 403 rendered like every gateway response.
struct EdgeRefusal: PipelineStage {
    let failure: GatewayFailure
    let endpointType: EndpointType
    var name: StageName { .edge }
    func run(_ x: inout Exchange, _ env: GatewayEnvironment) throws(GatewayFailure) {
        x.edge = EdgeValues.draw(&env.ids, nowMillis: env.clock.millis)
        x.edgeEndpointType = endpointType
        throw failure
    }
}

/// CloudFront's own texts (domains.md §5.5).
public enum CloudFrontText {
    /// The modern error-page skeleton [REC user-pasted 2021–2026] with a status and a reason line.
    public static func errorPage(status: Int, reason: String, requestId: String) -> String {
        """
        <!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN" "http://www.w3.org/TR/html4/loose.dtd">
        <HTML><HEAD><META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=iso-8859-1">
        <TITLE>ERROR: The request could not be satisfied</TITLE>
        </HEAD><BODY>
        <H1>\(status) ERROR</H1>
        <H2>The request could not be satisfied.</H2>
        <HR noshade size="1px">
        \(reason)
        <BR clear="all">
        If you provide content to customers through CloudFront, you can find steps to troubleshoot and help prevent this error by reviewing the CloudFront documentation.
        <BR clear="all">
        <HR noshade size="1px">
        <PRE>
        Generated by cloudfront (CloudFront)
        Request ID: \(requestId)
        </PRE>
        <ADDRESS>
        </ADDRESS>
        </BODY></HTML>

        """
    }
}
