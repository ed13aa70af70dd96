import Foundation
import Gateway
import GatewayModel
import Testing

/// API keys, usage plans, stage and account throttles in the pipeline (reference/throttling.md).
@Suite struct UsagePlanTests {
    static let key = "k7Qp2Lx9Vb4Nw8Rt3Yc6Hd1Jm5Sz0Ga2UeF0yrv6"
    static let model = """
        settings: { throttle: { rateLimit: 100, burstLimit: 3 } }
        restApis:
          - id: th4r0tt1ed
            resources:
              /keyed:
                id: keyed1
                GET:
                  apiKeyRequired: true
                  integration: { type: MOCK, requestTemplates: { application/json: '{"statusCode": 200}' }, integrationResponses: { "200": {} } }
                  methodResponses: { "200": {} }
              /open:
                id: open01
                GET:
                  integration: { type: MOCK, requestTemplates: { application/json: '{"statusCode": 200}' }, integrationResponses: { "200": {} } }
                  methodResponses: { "200": {} }
            stages:
              - stageName: dev
                methodSettings: { "open/GET": { throttlingRateLimit: 1, throttlingBurstLimit: 1 } }
              - stageName: prod
        usagePlans:
          - id: plan01
            apiStages: [ { apiId: th4r0tt1ed, stage: dev, throttle: { "/keyed/GET": { rateLimit: 1, burstLimit: 2 } } } ]
            throttle: { rateLimit: 50, burstLimit: 50 }
            quota: { limit: 3, period: DAY }
            apiKeys:
              - { id: k1, value: \(key) }
              - { id: k2, value: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa, enabled: false }
        """

    func send(_ e: GatewayEnvironment, _ path: String, key: String? = Self.key) -> Exchange {
        e.send(request("GET", path, headers: key.map { [("x-api-key", $0)] } ?? []))
    }

    @Test(arguments: [
        (nil, "/dev/keyed", "API Stage th4r0tt1ed/dev: No Usage Plan found for key and API Stage"),
        ("unknownunknownunknownunknown", "/dev/keyed", "No Usage Plan found for key and API Stage"),
        ("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "/dev/keyed", "No Usage Plan found for key and API Stage"),
        (key, "/prod/keyed", "API Stage th4r0tt1ed/prod: API Stage is not in a Usage Plan"),
    ] as [(String?, String, String)])
    func keyProblemsAre403(_ key: String?, _ path: String, _ logTail: String) throws {
        let x = send(try env(Self.model), path, key: key)
        #expect(x.response?.status == 403)
        #expect(x.response?.bodyText == #"{"message":"Forbidden"}"#)
        #expect(x.response?.headers["x-amzn-ErrorType"] == "ForbiddenException")
        #expect(x.messages.contains { $0.hasSuffix(logTail) })
        #expect(x.messages.last == "Method completed with status: 403")
    }

    /// The plan's per-method throttle (burst 2, 1/s) is what applies, not the plan-level one.
    @Test func perMethodThrottleThenRefill() throws {
        let e = try env(Self.model)
        #expect(send(e, "/dev/keyed").response?.status == 200)
        #expect(send(e, "/dev/keyed").response?.status == 200)
        let third = send(e, "/dev/keyed")
        #expect(third.response?.status == 429)
        #expect(third.response?.bodyText == #"{"message":"Too Many Requests"}"#)
        #expect(third.messages.contains { $0.hasSuffix("Resource keyed1, HttpMethod GET. Limit: 1.00 Burst: 2") })
        e.clock.advance(millis: 999)
        #expect(send(e, "/dev/keyed").response?.status == 429)  // 0.999 tokens: not yet
        e.clock.advance(millis: 1)
        #expect(send(e, "/dev/keyed").response?.status == 200)
    }

    /// Quota 3 per DAY: the 4th success is refused; throttled requests do not count.
    @Test func quotaCountsAdmittedRequestsOnly() throws {
        let e = try env(Self.model)
        var statuses: [Int] = []
        for _ in 0..<6 {
            statuses.append(send(e, "/dev/keyed").response?.status ?? 0)
            e.clock.advance(millis: 400)
        }
        // t=0 ok, 0.4 ok (burst 2), 0.8 throttled (0.8 tokens), 1.2 ok (quota 3 used), 1.6 throttled, 2.0 quota.
        #expect(statuses == [200, 200, 429, 200, 429, 429])
        let last = send(e, "/dev/keyed")
        #expect(last.failure?.type == .quotaExceeded || last.failure?.type == .throttled)
    }

    /// The stage's method setting throttles a method that needs no key, with the method-setting log line.
    @Test func stageMethodSettingsThrottle() throws {
        let e = try env(Self.model)
        #expect(send(e, "/dev/open", key: nil).response?.status == 200)
        let x = send(e, "/dev/open", key: nil)
        #expect(x.response?.status == 429)
        #expect(x.messages.contains("Key throttle limit exceeded for RestApi th4r0tt1ed, Stage dev, Resource open01, HttpMethod GET. Limit: 1.00 Burst: 1"))
        #expect(!x.messages.contains { $0.hasPrefix("Starting execution") })
        #expect(x.messages.last == "Method completed with status: 429")
    }

    /// The account bucket (here 100/s, burst 3) limits everything in the Region, prod included.
    @Test func accountThrottle() throws {
        let e = try env(Self.model)
        let statuses = (0..<4).map { _ in send(e, "/prod/open", key: nil).response?.status ?? 0 }
        #expect(statuses == [200, 200, 200, 429])
    }

    @Test func lowThrottleRegionsDefaultTo2500() throws {
        let w = try world("region: eu-south-1\nrestApis: []\n")
        #expect(w.accountThrottle == ThrottleSettings(rateLimit: 2_500, burstLimit: 1_250))
        #expect(try world("restApis: []\n").accountThrottle == ThrottleSettings(rateLimit: 10_000, burstLimit: 5_000))
    }
}
