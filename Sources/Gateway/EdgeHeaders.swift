import GatewayModel

/// What happens to headers between the client and the method request, and which headers AWS adds to
/// responses (rest-request-flow.md §1.2, §4; lambda-payloads.md §1.3).
enum EdgeHeaders {
    /// Client headers that never reach the method request (lambda-payloads.md §1.3 rule 11 [REC]; also
    /// dropped on EDGE, rule 10: `Connection` recorded, the others UNCONFIRMED and dropped too).
    static let dropped: Set<String> = [
        "connection", "content-length", "content-md5", "expect", "max-forwards", "proxy-authenticate", "server", "te",
        "transfer-encoding", "trailer", "upgrade", "www-authenticate",
    ]

    /// EDGE APIs normalise the spelling of these names (rule 2: `Authorization` and `User-Agent` recorded,
    /// `Cookie` documented); every other name keeps the client's spelling.
    static let edgeCanonical: [String: String] = ["authorization": "Authorization", "user-agent": "User-Agent", "cookie": "Cookie"]

    /// The headers the method request sees.
    static func methodRequestHeaders(_ x: Exchange, endpoint: EndpointType) -> HeaderFields {
        var out = HeaderFields()
        var clientTrace: String?
        for (name, value) in x.request.headers {
            let lower = name.lowercased()
            if dropped.contains(lower) { continue }
            if lower == "x-amzn-trace-id" { clientTrace = value; continue }
            if lower == "host" { continue }
            if lower == "x-forwarded-for" || lower == "x-forwarded-port" || lower == "x-forwarded-proto" { continue }
            if endpoint == .edge, lower == "via" { continue }
            out.add(endpoint == .edge ? (edgeCanonical[lower] ?? name) : name, value)
        }
        let clientFor = x.request.headers["X-Forwarded-For"].map { $0 + ", " } ?? ""
        out.add("Host", x.host)
        if endpoint == .edge {
            // CloudFront's viewer headers: recorded values (rule 10 [REC]); ASN and country are masked in the
            // recording, gwsh uses Amazon's ASN and US.
            out.add("CloudFront-Forwarded-Proto", "https")
            out.add("CloudFront-Is-Desktop-Viewer", "true")
            out.add("CloudFront-Is-Mobile-Viewer", "false")
            out.add("CloudFront-Is-SmartTV-Viewer", "false")
            out.add("CloudFront-Is-Tablet-Viewer", "false")
            out.add("CloudFront-Viewer-ASN", "16509")
            out.add("CloudFront-Viewer-Country", "US")
            out.add("Via", x.edge.via)
            out.add("X-Amz-Cf-Id", x.edge.cfId)
            out.add("X-Amzn-Trace-Id", clientTrace ?? x.edge.traceId)
            // `<client ip>, <edge ip>` ([3P] fixture format); the edge address is from a documentation range.
            out.add("X-Forwarded-For", clientFor + x.request.sourceIp + ", 198.51.100.24")
        } else {
            out.add("X-Amzn-Trace-Id", clientTrace ?? x.edge.traceId)
            out.add("X-Forwarded-For", clientFor + x.request.sourceIp)
        }
        out.add("X-Forwarded-Port", "443")
        out.add("X-Forwarded-Proto", "https")
        return out
    }

    /// The response `X-Amzn-Trace-Id`: the client's full header echoed, a `Parent` added to a bare `Root`,
    /// else the generated root (rest-request-flow.md §4.1 rule 63).
    static func responseTraceId(_ x: Exchange) -> String {
        // Generated: `Root=…;Sampled=0` after an integration call (rest-request-flow.md §5.4, U2), the bare
        // Root on gateway errors before it (U1).
        guard let sent = x.request.headers["X-Amzn-Trace-Id"] else {
            return x.lambdaResult != nil ? x.edge.traceId + ";Sampled=0" : x.edge.traceId
        }
        if sent.contains("Parent=") { return sent }
        // Only a Parent is added, right after the Root; whatever else the client sent stays as sent.
        var parts = sent.split(separator: ";", omittingEmptySubsequences: false).map(String.init)
        let at = (parts.firstIndex { $0.hasPrefix("Root=") } ?? -1) + 1
        parts.insert("Parent=" + x.edge.traceParent, at: at)
        return parts.joined(separator: ";")
    }
}

extension EdgeHeaders {
    /// Response header names API Gateway keeps for itself; an integration's header of such a name comes back
    /// as `x-amzn-Remapped-<Name>` (mapping.md §3.4 [REC] for HTTP and AWS integrations; applying it to Lambda
    /// proxy responses too is an assumption — duplicate Content-Length or Date headers would be invalid HTTP).
    static let reserved: Set<String> = [
        "authorization", "connection", "content-length", "content-md5", "date", "expect", "host", "max-forwards",
        "proxy-authenticate", "server", "trailer", "upgrade", "user-agent", "www-authenticate", "x-amzn-requestid",
    ]

    static func remapped(_ name: String) -> String {
        reserved.contains(name.lowercased()) ? "x-amzn-Remapped-" + name : name
    }
}

enum ResponseHeaders {
    /// Headers API Gateway adds to every response, in the recorded order (rest-request-flow.md §4.1).
    static func gateway(_ x: Exchange, _ env: GatewayEnvironment, contentLength: Int, error: Bool, traceId: Bool) -> [(String, String)] {
        // TestInvokeMethod returns the method response's headers only, no Content-Length (rest-request-flow.md §5.1 rule 73).
        if x.testInvoke != nil { return traceId && !error ? [("X-Amzn-Trace-Id", EdgeHeaders.responseTraceId(x))] : [] }
        let endpoint = x.apiId.flatMap { env.restApi(id: $0) }?.endpointType ?? x.edgeEndpointType ?? .edge
        let close = x.request.headers["Connection"]?.lowercased() == "close"
        var h: [(String, String)] = [
            ("Connection", close ? "close" : "keep-alive"),  // rule 66
            ("Content-Length", String(contentLength)),
            ("Date", env.clock.httpDate),
        ]
        if endpoint == .edge {
            h.append(("Via", x.edge.via))
            h.append(("X-Amz-Cf-Id", x.edge.cfId))
            h.append(("X-Amz-Cf-Pop", x.edge.cfPop))
        }
        if traceId { h.append(("X-Amzn-Trace-Id", EdgeHeaders.responseTraceId(x))) }
        if endpoint == .edge { h.append(("X-Cache", error ? "Error from cloudfront" : "Miss from cloudfront")) }  // rule 64
        h.append(("x-amz-apigw-id", x.extendedRequestId))
        h.append(("x-amzn-RequestId", x.requestId))
        return h
    }
}
