import Gateway
import GatewayModel
import Testing

/// Resource and method matching, rest-request-flow.md §2.1 rules 27–35 and §2.2, as one table.
@Suite struct RouterTests {
    /// The APIs the table routes against. Each resource lists its methods; every method is a MOCK.
    enum Fixture: String, Sendable, CaseIterable {
        /// Precedence: literal > {param} > {proxy+} (rule 27) and the root.
        case precedence
        /// Rules 28 and 30, recorded: `/test` POST, `/{proxy+}` OPTIONS, `/test/any` ANY.
        case methodAware
        /// Rule 29, recorded: `/part1` GET, `/part1/hardcoded-value` GET, `/{param+}` GET.
        case backtrack
        /// Rule 35: only `/{proxy+}` ANY, no method on the root.
        case greedyOnly
        /// §2.2's API: `/{proxy+}` ANY and `/hardcoded` ANY.
        case slashes
        /// Rule 31: explicit methods next to ANY.
        case anyAndExplicit
        /// Variables: backtracking out of a literal into a variable, parameters of failed branches dropped.
        case variables

        var resources: [(String, [String])] {
            switch self {
            case .precedence:
                return [("/", ["GET"]), ("/pets", ["GET"]), ("/pets/{id}", ["GET"]), ("/pets/mine", ["GET"]), ("/{proxy+}", ["GET"])]
            case .methodAware:
                return [("/test", ["POST"]), ("/{proxy+}", ["OPTIONS"]), ("/test/any", ["ANY"])]
            case .backtrack:
                return [("/part1", ["GET"]), ("/part1/hardcoded-value", ["GET"]), ("/{param+}", ["GET"])]
            case .greedyOnly:
                return [("/{proxy+}", ["ANY"])]
            case .slashes:
                return [("/{proxy+}", ["ANY"]), ("/hardcoded", ["ANY"])]
            case .anyAndExplicit:
                return [("/items", ["GET", "ANY"]), ("/only-get", ["GET"]), ("/only-head", ["HEAD"])]
            case .variables:
                return [("/a/{x}/c", ["GET"]), ("/a/b/d", ["GET"]), ("/{k}/lit/q", ["GET"]), ("/{k}/{v}", ["GET"])]
            }
        }

        var yaml: String {
            var s = "restApis:\n  - id: r0u7e5a1b2\n    resources:\n"
            for (path, methods) in resources {
                s += "      \(path):\n"
                for m in methods { s += "        \(m): {integration: {type: MOCK}}\n" }
            }
            return s
        }

        var router: Router { Router(api: try! ModelLoader.load(text: yaml, file: rawValue, baseDirectory: nil).restApis[0]) }
    }

    struct Row: Sendable, CustomTestStringConvertible {
        let fixture: Fixture
        let method: String
        let path: String
        /// nil: no match.
        let resource: String?
        let resolvedMethod: String?
        let params: [(String, String)]
        let why: String

        init(_ fixture: Fixture, _ method: String, _ path: String, _ resource: String?, _ resolvedMethod: String? = nil,
             _ params: [(String, String)] = [], _ why: String) {
            self.fixture = fixture
            self.method = method
            self.path = path
            self.resource = resource
            self.resolvedMethod = resource == nil ? nil : (resolvedMethod ?? method)
            self.params = params
            self.why = why
        }

        var testDescription: String { "\(fixture) \(method) \(path) → \(resource ?? "no match") (\(why))" }
    }

    static let rows: [Row] = [
        // Rule 27: literal beats variable beats greedy.
        Row(.precedence, "GET", "/pets/mine", "/pets/mine", nil, [], "literal beats {id}"),
        Row(.precedence, "GET", "/pets/42", "/pets/{id}", nil, [("id", "42")], "variable beats greedy"),
        Row(.precedence, "GET", "/pets", "/pets", nil, [], "literal"),
        Row(.precedence, "GET", "/pets/42/toys", "/{proxy+}", nil, [("proxy", "pets/42/toys")], "no deeper resource: greedy from the root"),
        Row(.precedence, "GET", "/other", "/{proxy+}", nil, [("proxy", "other")], "greedy catches the rest"),
        Row(.precedence, "GET", "/a/b/c/d", "/{proxy+}", nil, [("proxy", "a/b/c/d")], "greedy spans several segments"),
        Row(.precedence, "GET", "/", "/", nil, [], "root"),
        Row(.precedence, "GET", "", "/", nil, [], "empty path is the root"),
        Row(.precedence, "POST", "/pets", nil, nil, [], "no POST anywhere"),
        Row(.precedence, "HEAD", "/pets", nil, nil, [], "rule 32: HEAD is not served by GET"),
        Row(.precedence, "get", "/pets", nil, nil, [], "methods are case-sensitive"),
        Row(.precedence, "GET", "/Pets", "/{proxy+}", nil, [("proxy", "Pets")], "rule 46 (gwsh): path parts match case-sensitively"),
        // Rule 38: one trailing slash matches the resource without it.
        Row(.precedence, "GET", "/pets/", "/pets", nil, [], "trailing slash"),
        Row(.precedence, "GET", "/pets/42/", "/pets/{id}", nil, [("id", "42")], "trailing slash after a variable"),
        // Rule 40: slashes before the first part collapse.
        Row(.precedence, "GET", "//pets", "/pets", nil, [], "leading double slash"),
        Row(.precedence, "GET", "///pets/mine", "/pets/mine", nil, [], "leading triple slash"),
        // An empty segment in the middle is matched by nothing but a greedy part, which keeps it.
        Row(.precedence, "GET", "/pets//mine", "/{proxy+}", nil, [("proxy", "pets//mine")], "inner double slash only matches greedy"),

        // Rule 28 (recorded): method-aware fallback to the greedy sibling.
        Row(.methodAware, "OPTIONS", "/test", "/{proxy+}", nil, [("proxy", "test")], "rule 28: /test lacks OPTIONS, {proxy+} has it"),
        Row(.methodAware, "POST", "/test", "/test", nil, [], "rule 28: /test has POST"),
        Row(.methodAware, "GET", "/test", nil, nil, [], "neither has GET"),
        // Rule 30 (recorded): ANY on a literal beats a specific method on a greedy sibling.
        Row(.methodAware, "OPTIONS", "/test/any", "/test/any", "ANY", [], "rule 30: ANY on the literal wins over OPTIONS on {proxy+}"),
        Row(.methodAware, "GET", "/test/any", "/test/any", "ANY", [], "rule 30: GET through ANY"),
        Row(.methodAware, "OPTIONS", "/test/other", "/{proxy+}", nil, [("proxy", "test/other")], "no /test/other: greedy"),
        Row(.methodAware, "OPTIONS", "/", nil, nil, [], "rule 35: {proxy+} does not match the root"),

        // Rule 29 (recorded): backtracking out of a literal branch.
        Row(.backtrack, "GET", "/part1/random-value", "/{param+}", nil, [("param", "part1/random-value")], "rule 29: backtracks to {param+}"),
        Row(.backtrack, "GET", "/part1/hardcoded-value", "/part1/hardcoded-value", nil, [], "literal path exists"),
        Row(.backtrack, "GET", "/part1", "/part1", nil, [], "literal"),
        Row(.backtrack, "GET", "/part1/hardcoded-value/deeper", "/{param+}", nil, [("param", "part1/hardcoded-value/deeper")], "deeper than any literal"),
        Row(.backtrack, "POST", "/part1", nil, nil, [], "no POST anywhere"),

        // Rule 35: a greedy resource never matches the root.
        Row(.greedyOnly, "GET", "/", nil, nil, [], "rule 35"),
        Row(.greedyOnly, "GET", "", nil, nil, [], "rule 35, empty path"),
        Row(.greedyOnly, "GET", "//", nil, nil, [], "rule 35, slashes only"),
        Row(.greedyOnly, "GET", "/x", "/{proxy+}", "ANY", [("proxy", "x")], "one segment"),
        Row(.greedyOnly, "PATCH", "/x", "/{proxy+}", "ANY", [("proxy", "x")], "ANY covers PATCH"),
        Row(.greedyOnly, "HEAD", "/x", "/{proxy+}", "ANY", [("proxy", "x")], "rule 31/32: ANY covers HEAD"),
        Row(.greedyOnly, "CONNECT", "/x", nil, nil, [], "ANY covers only the seven methods of rule 31"),

        // §2.2, recorded rows (paths as the router sees them: after the stage).
        Row(.slashes, "GET", "/proxy-value", "/{proxy+}", "ANY", [("proxy", "proxy-value")], "§2.2 row 1"),
        Row(.slashes, "GET", "/proxy-value/", "/{proxy+}", "ANY", [("proxy", "proxy-value")], "§2.2 row 2: the greedy value drops the trailing slash"),
        Row(.slashes, "GET", "/proxy-value//double-slash", "/{proxy+}", "ANY", [("proxy", "proxy-value//double-slash")], "§2.2 row 3: inner // kept"),
        Row(.slashes, "GET", "//proxy-value", "/{proxy+}", "ANY", [("proxy", "proxy-value")], "§2.2 row 5"),
        Row(.slashes, "GET", "//hardcoded", "/hardcoded", "ANY", [], "§2.2 row 6: //hardcoded matches the literal"),
        Row(.slashes, "GET", "/hardcoded/", "/hardcoded", "ANY", [], "trailing slash on the literal"),
        Row(.slashes, "GET", "/hardcoded/x", "/{proxy+}", "ANY", [("proxy", "hardcoded/x")], "literal has no child: greedy"),
        Row(.slashes, "GET", "/proxy-value/api/user/test%2Balias@gmail.com/plus/test+alias@gmail.com", "/{proxy+}", "ANY",
            [("proxy", "proxy-value/api/user/test%2Balias@gmail.com/plus/test+alias@gmail.com")], "§2.2 row 8: not decoded"),

        // Rule 31: explicit method beats ANY on the same resource.
        Row(.anyAndExplicit, "GET", "/items", "/items", "GET", [], "explicit GET beats ANY"),
        Row(.anyAndExplicit, "POST", "/items", "/items", "ANY", [], "ANY serves the others"),
        Row(.anyAndExplicit, "HEAD", "/items", "/items", "ANY", [], "ANY serves HEAD"),
        Row(.anyAndExplicit, "HEAD", "/only-get", nil, nil, [], "rule 32: GET does not serve HEAD"),
        Row(.anyAndExplicit, "HEAD", "/only-head", "/only-head", "HEAD", [], "explicit HEAD"),
        Row(.anyAndExplicit, "GET", "/only-head", nil, nil, [], "HEAD does not serve GET"),
        Row(.anyAndExplicit, "OPTIONS", "/only-get", nil, nil, [], "rule 33: OPTIONS is an ordinary method"),

        // Backtracking into a variable.
        Row(.variables, "GET", "/a/b/c", "/a/{x}/c", nil, [("x", "b")], "literal b has no c: variable x=b"),
        Row(.variables, "GET", "/a/b/d", "/a/b/d", nil, [], "literal wins"),
        Row(.variables, "GET", "/a/zz/c", "/a/{x}/c", nil, [("x", "zz")], "variable"),
        Row(.variables, "GET", "/k1/lit", "/{k}/{v}", nil, [("k", "k1"), ("v", "lit")], "/{k}/lit has no GET: {v}=lit, no leftover params"),
        Row(.variables, "GET", "/k1/lit/q", "/{k}/lit/q", nil, [("k", "k1")], "literal below a variable"),
        Row(.variables, "GET", "/k1/other/q", nil, nil, [], "no /{k}/{v}/q"),
        Row(.variables, "GET", "/a", nil, nil, [], "/{k} itself has no method"),
    ]

    @Test(arguments: rows)
    func route(_ row: Row) {
        let m = row.fixture.router.match(method: row.method, path: row.path)
        guard let resource = row.resource else {
            #expect(m == nil)
            return
        }
        guard let m else {
            Issue.record("no match; expected \(resource)")
            return
        }
        #expect(m.resource == resource)
        #expect(m.method == row.resolvedMethod)
        #expect(m.orderedParameters.map { "\($0.name)=\($0.value)" } == row.params.map { "\($0.0)=\($0.1)" })
        #expect(m.pathParameters == Dictionary(uniqueKeysWithValues: row.params))
        #expect(m.resourceId == ModelLoader.derivedId(apiId: "r0u7e5a1b2", path: resource))
    }

    @Test func everyFixtureLoads() throws {
        for f in Fixture.allCases {
            let api = try ModelLoader.load(text: f.yaml, file: f.rawValue, baseDirectory: nil).restApis[0]
            #expect(api.methodCount == f.resources.reduce(0) { $0 + $1.1.count })
        }
    }
}
