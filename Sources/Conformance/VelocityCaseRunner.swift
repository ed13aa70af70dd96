import GatewayModel
import Templates

/// The `velocity` family (conformance README, "velocity: the case format"): a template and the vtl-oracle's
/// input objects → the exact output real Velocity 1.7 rendered, or the exception class it threw.
enum VelocityCaseRunner {
    static func run(_ c: ConformanceCase) -> ConformanceRunner.Outcome {
        guard let template = c.raw["template"]?.stringValue else { return .malformed("a velocity case needs `template`") }
        let expectedOutput = c.raw["expected_output"]?.stringValue
        let expectedError = c.raw["expected_error"]?.stringValue
        guard expectedOutput != nil || expectedError != nil else {
            return .malformed("a velocity case needs `expected_output` or `expected_error`")
        }
        let inputText = (c.raw["input"] ?? .object(JSONObject())).serialized()
        let input: VelocityValue
        do { input = try OracleJSON.parse(inputText) } catch { return .malformed("`input` is not usable: \(error)") }
        let rendered: Result<String, VelocityError>
        do {
            let t = try VelocityTemplate.parse(template, name: c.id)
            rendered = .success(try t.render(OracleContext.make(input: input)))
        } catch {
            rendered = .failure(error)
        }
        switch (rendered, expectedError) {
        case (.failure(let e), let want?):
            return e.javaClass == want ? .passed : .failed(["expected \(want), got \(e.javaClass): \(e.message)"])
        case (.success(let out), let want?):
            return .failed(["expected the exception \(want), got the output \(JSONValue.quoted(out))"])
        case (.failure(let e), nil):
            return .failed(["expected \(JSONValue.quoted(expectedOutput ?? "")), got the error \(e)"])
        case (.success(let out), nil):
            return out == expectedOutput ? .passed
                : .failed(["output differs:\n  expected \(JSONValue.quoted(expectedOutput ?? ""))\n  actual   \(JSONValue.quoted(out))"])
        }
    }
}
