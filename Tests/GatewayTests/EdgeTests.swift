import Foundation
import Gateway
import GatewayModel
import Testing

/// The edge (reference/domains.md): DNS, certificates by SNI, custom domains and base path mappings, CloudFront.
@Suite struct EdgeTests {
    static let base = """
        region: us-east-1
        account: "111111111111"
        restApis:
          - id: api0000001
            endpointConfiguration: { types: [REGIONAL] }
            resources:
              /home:
                GET:
                  integration: { type: MOCK, requestTemplates: { application/json: '{"statusCode": 200}' }, integrationResponses: { "200": { responseTemplates: { application/json: '{"stage": "$context.stage", "domain": "$context.domainName"}' } } } }
                  methodResponses: { "200": {} }
              /v1/home:
                GET:
                  integration: { type: MOCK, requestTemplates: { application/json: '{"statusCode": 200}' }, integrationResponses: { "200": { responseTemplates: { application/json: '{"deep": true}' } } } }
                  methodResponses: { "200": {} }
            stages: [ { stageName: prod }, { stageName: beta } ]
        certificates:
          - { arn: "arn:aws:acm:us-east-1:111111111111:certificate/c1", domainName: "*.example.com" }
          - { arn: "arn:aws:acm:us-east-1:111111111111:certificate/old", domainName: old.example.com, notAfter: "2026-02-01T00:00:00Z" }
        """

    static func model(_ extra: String) -> String { base + "\n" + extra }

    static let domains = """
        domainNames:
          - domainName: api.example.com
            regionalCertificateArn: "arn:aws:acm:us-east-1:111111111111:certificate/c1"
            regionalDomainName: d-api0000001.execute-api.us-east-1.amazonaws.com
            basePathMappings:
              - { basePath: orders, restApiId: api0000001, stage: prod }
              - { basePath: orders/v1, restApiId: api0000001, stage: beta }
              - { basePath: any, restApiId: api0000001 }
          - domainName: old.example.com
            regionalCertificateArn: "arn:aws:acm:us-east-1:111111111111:certificate/old"
            regionalDomainName: d-old0000001.execute-api.us-east-1.amazonaws.com
            basePathMappings: [ { restApiId: api0000001, stage: prod } ]
        dns:
          api.example.com: { CNAME: d-api0000001.execute-api.us-east-1.amazonaws.com }
          old.example.com: { CNAME: d-old0000001.execute-api.us-east-1.amazonaws.com }
          alias.example.com: { ALIAS: d-api0000001.execute-api.us-east-1.amazonaws.com }
          chain.example.com: { CNAME: api.example.com }
        """

    func get(_ e: GatewayEnvironment, _ url: String, configure: (inout URLRequest) -> Void = { _ in }) -> Exchange {
        var r = URLRequest(method: "GET", url: url)
        configure(&r)
        return e.send(url: r)
    }

    @Test func dnsFollowsChainsAndAnswersAliasesAsARecords() throws {
        let net = EdgeNetwork(world: try world(Self.model(Self.domains)))
        let chain = net.resolve("chain.example.com.")
        #expect(chain.records.map(\.type) == ["CNAME", "CNAME", "A"])
        #expect(chain.finalName == "d-api0000001.execute-api.us-east-1.amazonaws.com")
        let alias = net.resolve("alias.example.com")
        #expect(alias.records.map(\.type) == ["A"] && alias.records[0].name == "alias.example.com")
        #expect(net.resolve("nope.example.com").nxdomain)
        #expect(net.resolve("api0000001.execute-api.us-east-1.amazonaws.com").address == EdgeNetwork.address(of: "api0000001.execute-api.us-east-1.amazonaws.com"))
    }

    @Test(arguments: [
        ("*.example.com", "www.example.com", true), ("*.example.com", "a.b.example.com", false), ("*.example.com", "example.com", false),
        ("*.execute-api.us-east-1.amazonaws.com", "0123456789.execute-api.us-east-1.amazonaws.com", true),
        ("*.execute-api.us-east-1.amazonaws.com", "execute-api.us-east-1.amazonaws.com", false), ("WWW.Example.com", "www.example.COM", true),
    ])
    func wildcardsCoverOneLabel(_ pattern: String, _ host: String, _ covered: Bool) {
        #expect(Certificate.matches(pattern: pattern, host: host) == covered)  // domains.md §1.1 rule 5, §2.5 rule 7 [LOCAL]
    }

    @Test func theLongestWholeSegmentMappingWinsAndItsBasePathIsRemoved() throws {
        let e = try env(Self.model(Self.domains))
        #expect(get(e, "https://api.example.com/orders/home").bodyText == #"{"stage": "prod", "domain": "api.example.com"}"#)
        #expect(get(e, "https://api.example.com/orders/v1/home").bodyText == #"{"stage": "beta", "domain": "api.example.com"}"#)
        // A (none) stage: the next segment names it.
        #expect(get(e, "https://api.example.com/any/beta/home").bodyText == #"{"stage": "beta", "domain": "api.example.com"}"#)
        // Segment-wise: `ordersX` is not under `orders`; no (none) mapping → 403 Forbidden.
        let none = get(e, "https://api.example.com/ordersX/home")
        #expect(none.status == 403 && none.bodyText == #"{"message":"Forbidden"}"# && none.header("x-amzn-ErrorType") == "ForbiddenException")
        // Names that reach the endpoint through an alias or a CNAME chain but are no custom domain: the endpoint
        // presents its default certificate, which the client refuses (domains.md §4.5 rule 1).
        #expect(get(e, "https://chain.example.com/orders/home").edgeInfo?.failure == .certificate(.nameMismatch, host: "chain.example.com"))
        #expect(get(e, "https://alias.example.com/orders/home").edgeInfo?.failure == .certificate(.nameMismatch, host: "alias.example.com"))
    }

    @Test func clientFailuresAreTheClientsToReport() throws {
        let e = try env(Self.model(Self.domains))
        #expect(get(e, "https://nope.example.com/").edgeInfo?.failure == .couldNotResolve(host: "nope.example.com"))
        // The stage URL host presents only *.execute-api…: a name it does not cover is refused by the client.
        e.world.edge.dns["www.example.com"] = DnsRecord(name: "www.example.com", value: .cname("api0000001.execute-api.us-east-1.amazonaws.com"), ttl: 300,
                                                        location: SourceLocation(file: "t", line: 1, column: 1))
        let wrong = get(e, "https://www.example.com/prod/home")
        #expect(wrong.edgeInfo?.failure == .certificate(.nameMismatch, host: "www.example.com") && wrong.response == nil)
        #expect(wrong.edgeInfo?.certificate?.subject == "*.execute-api.us-east-1.amazonaws.com")
        #expect(wrong.trace.last?.why?.contains("point its CNAME") == false)  // www is no custom domain of this model
        // With -k the request goes through, and the stage host refuses the foreign Host.
        let insecure = get(e, "https://www.example.com/prod/home") { $0.verifyCertificate = false }
        #expect(insecure.status == 403)
        // An expired certificate.
        #expect(get(e, "https://old.example.com/home").edgeInfo?.failure == .certificate(.expired, host: "old.example.com"))
        // A client that only speaks TLS 1.0 against a TLS_1_2 domain.
        let old = get(e, "https://api.example.com/orders/home") { $0.tlsMin = .tls1_0; $0.tlsMax = .tls1_0 }
        #expect(old.edgeInfo?.failure == .tlsProtocolVersion)
        // Plain HTTP: API Gateway serves HTTPS only.
        #expect(get(e, "http://api0000001.execute-api.us-east-1.amazonaws.com/prod/home").edgeInfo?.failure == .couldNotConnect(host: "api0000001.execute-api.us-east-1.amazonaws.com", port: 80))
        // The default endpoint itself works.
        #expect(get(e, "https://api0000001.execute-api.us-east-1.amazonaws.com/prod/home").status == 200)
    }

    @Test func cloudFrontForwardsToItsOriginAndAddsItsHeaders() throws {
        let e = try env(Self.model(Self.domains + """

            cloudFront:
              - { id: E1, domainName: d1.cloudfront.net, origins: [ { domainName: api.example.com } ] }
              - { id: E2, domainName: d2.cloudfront.net, origins: [ { domainName: api.example.com, originRequestPolicy: AllViewer } ] }
              - { id: E3, domainName: d3.cloudfront.net, origins: [ { domainName: api.example.com, originPath: /orders } ] }
              - { id: E4, domainName: d4.cloudfront.net, origins: [ { domainName: api0000001.execute-api.us-east-1.amazonaws.com, originPath: /prod } ] }
            """))
        let ok = get(e, "https://d1.cloudfront.net/orders/home")
        #expect(ok.status == 200 && ok.header("X-Cache") == "Miss from cloudfront" && ok.header("Via")?.hasSuffix(".cloudfront.net (CloudFront)") == true)
        #expect(ok.header("X-Amz-Cf-Id")?.count == 56)
        // The viewer's Host forwarded to API Gateway: no custom domain of that name → 403 (domains.md §5.2 rule 1).
        let host = get(e, "https://d2.cloudfront.net/orders/home")
        #expect(host.status == 403 && host.header("X-Cache") == "Error from cloudfront")
        // The origin path is prepended.
        #expect(get(e, "https://d3.cloudfront.net/home").status == 200)
        // An execute-api origin with the stage as origin path.
        #expect(get(e, "https://d4.cloudfront.net/v1/home").bodyText == #"{"deep": true}"#)
    }

    @Test func modelErrorsUseAwsMessages() throws {
        let edge = """
            domainNames:
              - domainName: api.example.com
                endpointConfiguration: { types: [EDGE] }
                certificateArn: "arn:aws:acm:us-west-2:111111111111:certificate/w2"
            """
        let withCert = Self.base + "\n  - { arn: \"arn:aws:acm:us-west-2:111111111111:certificate/w2\", domainName: \"*.example.com\" }\n" + edge
        #expect(throws: ModelError.self) { try world(withCert) }
        do { _ = try world(withCert) } catch let e as ModelError {
            #expect(e.description.contains("Invalid certificate ARN: arn:aws:acm:us-west-2:111111111111:certificate/w2. Certificate must be in 'us-east-1'."))
        }
        let noCert = Self.model("domainNames: [ { domainName: api.example.com, endpointConfiguration: { types: [EDGE] } } ]")
        do { _ = try world(noCert); Issue.record("loaded") } catch let e as ModelError { #expect(e.description.contains("A certificate was not provided for the endpoint type EDGE.")) }
        let twoEmpty = Self.model("""
            domainNames:
              - domainName: api.example.com
                regionalCertificateArn: "arn:aws:acm:us-east-1:111111111111:certificate/c1"
                basePathMappings: [ { restApiId: api0000001, stage: prod }, { basePath: x, restApiId: api0000001, stage: prod } ]
            """)
        do { _ = try world(twoEmpty); Issue.record("loaded") } catch let e as ModelError { #expect(e.description.contains("Only one base path mapping is allowed if the base path is empty.")) }
        #expect(throws: ModelError.self) { try world(Self.model("dns: { example.com: { CNAME: other.example.net } }")) }  // apex CNAME
        #expect(throws: ModelError.self) { try world(Self.model("dns: { www.example.com: { CNAME: a.example.net, A: 1.2.3.4 } }")) }
    }
}

extension EdgeTests {
    @Test func behavioursHttpApiMappingsAndDisabledDefaultEndpoints() throws {
        let yaml = """
            region: us-east-1
            account: "111111111111"
            restApis:
              - id: rest000001
                endpointConfiguration: { types: [REGIONAL] }
                disableExecuteApiEndpoint: true
                resources:
                  /home:
                    GET:
                      integration: { type: MOCK, requestTemplates: { application/json: '{"statusCode": 200}' }, integrationResponses: { "200": { responseTemplates: { application/json: '{"api": "rest"}' } } } }
                      methodResponses: { "200": {} }
                stages: [ { stageName: prod } ]
            httpApis:
              - apiId: http000001
                protocolType: HTTP
                routes: { "GET /home": { integration: { integrationType: HTTP_PROXY, integrationUri: "http://b.internal/home", integrationMethod: GET, payloadFormatVersion: "1.0" } } }
                stages: [ { stageName: $default } ]
            backends: { b.internal: { status: 200, body: '{"api": "http"}' } }
            certificates: [ { arn: "arn:aws:acm:us-east-1:111111111111:certificate/c1", domainName: "*.example.com" } ]
            domainNames:
              - domainName: api.example.com
                regionalCertificateArn: "arn:aws:acm:us-east-1:111111111111:certificate/c1"
                basePathMappings: [ { basePath: rest, restApiId: rest000001, stage: prod } ]
                apiMappings: [ { apiMappingKey: http, apiId: http000001, stage: $default } ]
            cloudFront:
              - id: E1
                domainName: d1.cloudfront.net
                origins: [ { id: rest, domainName: api.example.com, originPath: /rest }, { id: http, domainName: api.example.com, originPath: /http } ]
                behaviors: [ { pathPattern: "/h*", originId: http } ]
            """
        let e = try env(yaml)
        let world = e.world
        let target = try #require(world.edge.domainNames.first?.targetDomainName)
        e.world.edge.dns["api.example.com"] = DnsRecord(name: "api.example.com", value: .cname(target), ttl: 300, location: SourceLocation(file: "t", line: 1, column: 1))
        #expect(get(e, "https://api.example.com/rest/home").bodyText == #"{"api": "rest"}"#)
        #expect(get(e, "https://api.example.com/http/home").bodyText == #"{"api": "http"}"#)
        // The default endpoint is disabled; the custom domain is not (domains.md §1.2).
        #expect(get(e, "https://rest000001.execute-api.us-east-1.amazonaws.com/prod/home").status == 403)
        // CloudFront behaviours choose the origin by path pattern; the default is the first origin.
        #expect(get(e, "https://d1.cloudfront.net/home").bodyText == #"{"api": "http"}"#)
        let rest = get(e, "https://d1.cloudfront.net/other")
        #expect(rest.status == 403)  // the default (rest) origin: no resource /other
        #expect(rest.trace.contains { $0.summary.contains("origin path /rest was put in front") })
        #expect(Distribution.glob("/api/*", "/api/v1/x") && !Distribution.glob("/api/*", "/apix") && Distribution.glob("/h?me", "/home"))
    }

    @Test func anEdgeDomainNameCannotBeAnotherDistributionsAlias() throws {
        let yaml = """
            region: us-east-1
            account: "111111111111"
            restApis: [ { id: rest000001, stages: [ { stageName: prod } ] } ]
            certificates: [ { arn: "arn:aws:acm:us-east-1:111111111111:certificate/c1", domainName: "*.example.com" } ]
            domainNames:
              - { domainName: api.example.com, endpointConfiguration: { types: [EDGE] }, certificateArn: "arn:aws:acm:us-east-1:111111111111:certificate/c1",
                  basePathMappings: [ { restApiId: rest000001, stage: prod } ] }
            cloudFront:
              - { id: E1, aliases: [api.example.com], viewerCertificate: { acmCertificateArn: "arn:aws:acm:us-east-1:111111111111:certificate/c1" }, origins: [ { domainName: a.example.com } ] }
            """
        do { _ = try world(yaml); Issue.record("loaded") } catch let e as ModelError {
            #expect(e.description.contains("CNAMEAlreadyExists"))
        }
    }
}

extension EdgeTests {
    @Test func edgeOptimizedDomainsAnswerThroughTheirDistribution() throws {
        let yaml = Self.model("""
            domainNames:
              - domainName: shop.example.com
                endpointConfiguration: { types: [EDGE] }
                certificateArn: "arn:aws:acm:us-east-1:111111111111:certificate/c1"
                distributionDomainName: d111111abcdef8.cloudfront.net
                basePathMappings: [ { restApiId: api0000001, stage: prod } ]
            dns:
              shop.example.com: { CNAME: d111111abcdef8.cloudfront.net }
            """)
        let e = try env(yaml)
        let x = get(e, "https://shop.example.com/home")
        #expect(x.status == 200 && x.header("X-Cache") == "Miss from cloudfront")
        #expect(x.edgeInfo?.certificate?.subject == "*.example.com")
        // Another name reaching the same distribution gets *.cloudfront.net and is refused by the client.
        e.world.edge.dns["www.example.com"] = DnsRecord(name: "www.example.com", value: .cname("d111111abcdef8.cloudfront.net"), ttl: 300, location: SourceLocation(file: "t", line: 1, column: 1))
        let other = get(e, "https://www.example.com/home")
        #expect(other.edgeInfo?.certificate?.subject == "*.cloudfront.net" && other.edgeInfo?.failure == .certificate(.nameMismatch, host: "www.example.com"))
    }

    @Test func aCertificateThatIsNotIssuedCannotBeAttached() throws {
        let yaml = """
            region: us-east-1
            account: "111111111111"
            restApis: [ { id: api0000001, stages: [ { stageName: prod } ] } ]
            certificates: [ { arn: "arn:aws:acm:us-east-1:111111111111:certificate/p", domainName: "*.example.com", status: PENDING_VALIDATION } ]
            domainNames: [ { domainName: www.example.com, regionalCertificateArn: "arn:aws:acm:us-east-1:111111111111:certificate/p" } ]
            """
        #expect(throws: ModelError.self) { try world(yaml) }
    }
}
