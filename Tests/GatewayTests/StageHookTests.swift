import Foundation
import Gateway
import GatewayModel
import Testing

/// Plugin stage hooks on the Stepper, with a stand-in for LuaHost.
final class FakeHooks: StageHooks, @unchecked Sendable {
    let answers: [String: JSONValue]
    var views: [JSONValue] = []
    init(_ answers: [String: JSONValue]) { self.answers = answers }
    func hasHooks(_ phase: HookPhase, _ stage: StageName) -> Bool { answers["\(phase.rawValue):\(stage.rawValue)"] != nil }
    func run(_ phase: HookPhase, _ stage: StageName, view: JSONValue, nowMillis: Int64) -> [HookOutcome] {
        views.append(view)
        return [HookOutcome.parse(answers["\(phase.rawValue):\(stage.rawValue)"], source: "fake \(phase.rawValue):\(stage.rawValue)", logs: [])]
    }
}

@Suite struct StageHookTests {
    func send(_ hooks: FakeHooks) throws -> (Exchange, GatewayEnvironment) {
        let e = try env(Models.mock())
        e.hooks = hooks
        return (e.send(request("GET", "/dev/pets")), e)
    }

    @Test func latencyEditsFailuresAndAnswers() throws {
        let (slow, e) = try send(FakeHooks(["before:integration": .obj(["latencyMillis": 1500])]))
        #expect(slow.status == 200 && e.clock.millis - slow.startMillis >= 1500)
        let (throttled, _) = try send(FakeHooks(["before:auth": .obj(["fail": "THROTTLED"])]))
        #expect(throttled.status == 429 && throttled.bodyText == #"{"message":"Too Many Requests"}"#)
        let (answered, _) = try send(FakeHooks(["after:route": .obj(["response": .obj(["status": 503, "body": "down"])])]))
        #expect(answered.status == 503 && answered.bodyText == "down" && answered.trace.last?.summary.contains("answers 503") == true)
        let (edited, _) = try send(FakeHooks(["before:method-request": .obj(["set": .obj(["request.headers.X-Test": "1"])])]))
        #expect(edited.methodRequestHeaders["X-Test"] == "1")
    }

    @Test func badAnswersAreNotedAndIgnored() throws {
        for bad: JSONValue in [.obj(["fail": "NOT_A_TYPE"]), .obj(["oops": 1]), .obj(["set": .obj(["response.body": "x"])]), "text", .obj(["latencyMillis": -1])] {
            let (x, _) = try send(FakeHooks(["before:integration": bad]))
            #expect(x.status == 200, "\(bad.serialized())")
            #expect(x.trace.contains { $0.outcome == .failed && $0.summary.hasPrefix("hook fake before:integration failed") }, "\(bad.serialized())")
        }
    }

    @Test func theViewShowsTheRequestAndTheIntegration() throws {
        let hooks = FakeHooks(["after:integration": .null])
        _ = try send(hooks)
        let v = try #require(hooks.views.first)
        #expect(v["stage"] == "integration" && v["phase"] == "after" && v["request"]?["method"] == "GET" && v["integration"]?["status"] == "200")
    }
}
