import Foundation
import Gateway
import GatewayModel
import Templates

/// `gwsh bench`: in-process throughput on real time (the one place besides `serve` that uses the wall clock).
/// Each measurement runs for `seconds`, single-threaded, after a short warm-up, and reports operations per second.
public enum Bench {
    public struct Result: Sendable {
        public var name: String
        public var operations: Int
        public var seconds: Double
        public var perSecond: Double { Double(operations) / seconds }
    }

    /// How long each measurement runs: for a time, or for an exact number of operations (for allocation counts
    /// under valgrind, where time means nothing).
    public enum Length: Sendable {
        case seconds(Double)
        case count(Int)
    }

    /// Runs `body` for `length` (after a warm-up of `batch` calls when timed).
    static func measure(_ name: String, _ length: Length, batch: Int = 50, _ body: () -> Void) -> Result {
        switch length {
        case .seconds(let s): return measure(name, seconds: s, batch: batch, body)
        case .count(let n):
            let start = DispatchTime.now().uptimeNanoseconds
            for _ in 0..<n { body() }
            return Result(name: name, operations: n, seconds: max(1e-9, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9))
        }
    }

    /// Runs `body` repeatedly for about `seconds` (checking the clock every `batch` calls).
    static func measure(_ name: String, seconds: Double, batch: Int = 50, _ body: () -> Void) -> Result {
        for _ in 0..<batch { body() }
        let start = DispatchTime.now().uptimeNanoseconds
        var n = 0
        var elapsed = 0.0
        repeat {
            for _ in 0..<batch { body() }
            n += batch
            elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        } while elapsed < seconds
        return Result(name: name, operations: n, seconds: elapsed)
    }

    /// A 20-line mapping template with `$input.path` and `#foreach` (the issue's benchmark shape).
    static let template = """
        #set($body = $input.path('$'))
        #set($items = $input.path('$.items'))
        {
          "id": "$context.requestId",
          "stage": "$context.stage",
          "name": "$util.escapeJavaScript($body.name)",
          "count": $items.size(),
          "items": [
        #foreach($it in $items)
            {"sku": "$it.sku", "qty": $it.qty}#if($foreach.hasNext),#end

        #end
          ],
        #if($body.flag)
          "flag": true,
        #else
          "flag": false,
        #end
          "q": "$input.params('q')"
        }
        """

    /// The seed's usage plan (rate 5/s, burst 10, no quota) on a MOCK method.
    static let stormModel = """
        restApis:
          - id: rohkz08x02
            resources:
              /orders/{id}:
                GET:
                  apiKeyRequired: true
                  integration: { type: MOCK, requestTemplates: { application/json: '{"statusCode": 200}' }, integrationResponses: { "200": {} } }
                  methodResponses: { "200": {} }
            stages: [ { stageName: dev } ]
        usagePlans:
          - id: nnpegc
            apiStages: [ { apiId: rohkz08x02, stage: dev } ]
            throttle: { rateLimit: 5, burstLimit: 10 }
            apiKeys: [ { id: k1, value: k7Qp2Lx9Vb4Nw8Rt3Yc6Hd1Jm5Sz0Ga2UeF0yrv6 } ]
        """

    public static func run(seconds: Double) -> [Result] { run(.seconds(seconds), only: nil) }

    /// The measurements whose name contains `only` (all when nil).
    public static func run(_ length: Length, only: String?) -> [Result] {
        var results: [Result] = []
        func wanted(_ name: String) -> Bool { only.map { name.localizedCaseInsensitiveContains($0) } ?? true }
        // Requests that did not get 200 would measure a short cut (a 429, an error): counted and reported.
        var refused = 0
        // The REST pipeline on the default model: MOCK, and the Lua Lambda proxy.
        let shell = ShellSession()
        let mock = ClientRequest(method: "GET", rawPath: "/dev/orders/42", headers: HeaderFields([("Accept", "application/json")]))
        if wanted("pipeline: GET /dev/orders/42 (MOCK)") { results.append(measure("pipeline: GET /dev/orders/42 (MOCK)", length) {
                // 1 ms of virtual time per request: 1,000/s stays under the account throttle (10,000/s), so every
                // request takes the whole pipeline rather than the 429 short cut.
                shell.env.clock.advance(millis: 1)
                if shell.env.send(mock).response?.status != 200 { refused += 1 }
            }) }
        let list = ClientRequest(method: "GET", rawPath: "/dev/orders")
        if wanted("pipeline: GET /dev/orders (Lua Lambda proxy)") { results.append(measure("pipeline: GET /dev/orders (Lua Lambda proxy)", length) {
                shell.env.clock.advance(millis: 1)
                if shell.env.send(list).response?.status != 200 { refused += 1 }
            }) }
        // Mapping templates as the gateway renders them: API Gateway's $input/$util/$context built for the request
        // each time (the body parsed again), the template parsed once per model.
        let body = #"{"name": "Ann", "flag": true, "items": [{"sku": "a", "qty": 1}, {"sku": "b", "qty": 2}, {"sku": "c", "qty": 3}, {"sku": "d", "qty": 4}, {"sku": "e", "qty": 5}]}"#
        var x = shell.env.send(ClientRequest(method: "GET", rawPath: "/dev/orders/42?q=x"))
        if wanted("mapping template: 20 lines, $input.path + #foreach (5 items)"), case .rendered = MappingTemplates.render(template, name: "bench", payload: body, &x, shell.env) {
            results.append(measure("mapping template: 20 lines, $input.path + #foreach (5 items)", length) {
                _ = MappingTemplates.render(template, name: "bench", payload: body, &x, shell.env)
            })
        }
        // The limiter chain alone: a usage-plan key bucket, a stage bucket, the account bucket and a quota, on a
        // virtual clock that advances 1 ms per request (issue 6: 1,000,000 simulated requests in < 2 s).
        if wanted("limiter: key + stage + account buckets and a quota") {
            var limiter = Limiter()
            var now: Int64 = 1_772_712_000_000
            let quota = QuotaSettings(limit: 1_000_000_000, period: "DAY", offset: 0)
            let checks = Limiter.benchChecks
            results.append(measure("limiter: key + stage + account buckets and a quota", length, batch: 1000) {
                now += 1
                if limiter.admit(checks, now: now) == nil { _ = limiter.consumeQuota(key: "quota:p:k", quota, now: now) }
            })
        }
        // `traffic` end to end: a key-throttled storm (1,000 requests a second against the seed's 5/s, burst 10),
        // every request through the whole pipeline on the virtual clock; an operation is one request.
        if wanted("traffic: a 429 storm through the whole pipeline"),
           let world = try? ModelLoader.load(text: Bench.stormModel, file: "bench-storm.yaml", baseDirectory: nil) {
            let storm = GatewayEnvironment(world: world)
            let keyed = ClientRequest(method: "GET", rawPath: "/dev/orders/42", headers: HeaderFields([("x-api-key", "k7Qp2Lx9Vb4Nw8Rt3Yc6Hd1Jm5Sz0Ga2UeF0yrv6")]))
            let plan = TrafficPlan(rate: 1000, length: .count(1000))
            var r = measure("traffic: a 429 storm through the whole pipeline", length, batch: 1) { _ = storm.runTraffic(plan, keyed) }
            r.operations *= 1000
            results.append(r)
        }
        // The Velocity engine alone: one parsed body and context, rendered many times.
        if wanted("velocity engine alone: the same template, context reused"), let t = try? VelocityTemplate.parse(template, name: "bench"),
           let input = try? OracleJSON.parse(#"{"params": {"querystring": {"q": "x"}}, "context": {"requestId": "r1", "stage": "prod"}, "body": "{\"name\": \"Ann\", \"flag\": true, \"items\": [{\"sku\": \"a\", \"qty\": 1}, {\"sku\": \"b\", \"qty\": 2}, {\"sku\": \"c\", \"qty\": 3}, {\"sku\": \"d\", \"qty\": 4}, {\"sku\": \"e\", \"qty\": 5}]}"}"#) {
            let context = OracleContext.make(input: input)
            results.append(measure("velocity engine alone: the same template, context reused", length) {
                _ = try? t.render(context)
            })
        }
        if refused > 0, let i = results.firstIndex(where: { $0.name.hasPrefix("pipeline") }) {
            results[i].name += "  (\(refused) requests were not 200: the figure is not the full pipeline)"
        }
        return results
    }
}

extension Programs {
    /// `gwsh bench [--seconds N]`.
    public static func bench(seconds: Double, count: Int? = nil, only: String? = nil) -> Int32 {
        #if DEBUG
        Swift.print("note: a debug build; measure with `swift build -c release` and .build/release/gwsh bench")
        #endif
        let results = Bench.run(count.map { .count($0) } ?? .seconds(seconds), only: only)
        if results.isEmpty { Swift.print("no measurement matches '\(only ?? "")'"); return 1 }
        for r in results {
            let rate = String(format: "%.0f", r.perSecond)
            Swift.print(r.name.padding(toLength: 62, withPad: " ", startingAt: 0) + " \(rate)/s  (\(r.operations) in \(String(format: "%.2f", r.seconds)) s)")
        }
        return 0
    }
}
