import GatewayModel

/// The console's Test button (TestInvokeMethod, rest-request-flow.md §5.1): a request to one method of an API,
/// by resource id, without the endpoint, the stage, authorizers or usage plans.
public struct TestInvokeInput: Sendable {
    public var apiId: String
    public var resourceId: String
    public var httpMethod: String
    /// `pathWithQueryString`; nil: the resource's own path, braces and all (rule 75).
    public var pathWithQueryString: String?
    public var headers: HeaderFields
    public var body: String?
    public var stageVariables: [(name: String, value: String)]

    public init(apiId: String, resourceId: String, httpMethod: String, pathWithQueryString: String? = nil,
                headers: HeaderFields = HeaderFields(), body: String? = nil, stageVariables: [(name: String, value: String)] = []) {
        self.apiId = apiId
        self.resourceId = resourceId
        self.httpMethod = httpMethod
        self.pathWithQueryString = pathWithQueryString
        self.headers = headers
        self.body = body
        self.stageVariables = stageVariables
    }
}

/// What TestInvokeMethod returns (rule 72), or the API error of the call itself (rule 74).
public enum TestInvokeOutcome: Sendable {
    case invoked(Exchange)
    case apiError(status: Int, code: String, message: String)
}

extension TestInvokeInput {
    /// The pseudo stage of a Test call (rule 76).
    public static let stageName = "test-invoke-stage"
    /// `$context.domainName` of a Test call: `domainPrefix` is recorded as `testPrefix` (rule 76); the full
    /// name is an assumption (LocalStack's).
    public static let domainName = "testPrefix.testDomainName"
}

extension GatewayEnvironment {
    /// Runs TestInvokeMethod: unknown resource or method → 404 NotFoundException (rule 74), else the method runs
    /// through the pipeline in test mode.
    public func testInvoke(_ input: TestInvokeInput) -> TestInvokeOutcome {
        guard let api = world.restApi(id: input.apiId), let resource = api.resources.first(where: { $0.id == input.resourceId }) else {
            return .apiError(status: 404, code: "NotFoundException", message: "Invalid Resource identifier specified")
        }
        // An ANY method serves a Test call of any method [REC test-invoke/http-proxy-undefined-stage-variable-500].
        guard resource.methods.contains(where: { $0.httpMethod == input.httpMethod.uppercased() || $0.httpMethod == "ANY" }) else {
            return .apiError(status: 404, code: "NotFoundException", message: "Invalid Method identifier specified")
        }
        let request = ClientRequest(method: input.httpMethod.uppercased(), rawPath: input.pathWithQueryString ?? resource.path,
                                    headers: input.headers, body: input.body.map { Array($0.utf8) })
        let s = Stepper(request: request, env: self, testInvoke: input)
        s.runToEnd()
        return .invoked(s.exchange)
    }
}

enum TestInvokePaths {
    /// Path parameters of `path` against a resource template, or nil when the path does not fit (rule 75).
    static func parameters(_ template: String, _ path: String) -> [(name: String, value: String)]? {
        let t = template.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        let p = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        var out: [(name: String, value: String)] = []
        var i = 0
        for (k, seg) in t.enumerated() {
            if seg.hasPrefix("{"), seg.hasSuffix("+}") {
                guard i < p.count else { return nil }
                out.append((String(seg.dropFirst().dropLast(2)), p[i...].joined(separator: "/")))
                return k == t.count - 1 ? out : nil
            }
            guard i < p.count else { return nil }
            if seg.hasPrefix("{"), seg.hasSuffix("}") {
                out.append((String(seg.dropFirst().dropLast()), p[i]))
            } else if seg != p[i] {
                return nil
            }
            i += 1
        }
        return i == p.count ? out : nil
    }

    /// Without a path, each parameter is its own name in braces (`{petId={petId}}`, rule 75).
    static func placeholders(_ template: String) -> [(name: String, value: String)] {
        template.split(separator: "/").compactMap { seg in
            guard seg.hasPrefix("{"), seg.hasSuffix("}") else { return nil }
            let name = seg.hasSuffix("+}") ? String(seg.dropFirst().dropLast(2)) : String(seg.dropFirst().dropLast())
            return (name, "{\(name)}")
        }
    }
}
