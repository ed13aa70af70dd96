import Foundation
import Testing
@testable import Conformance
import Gateway
import GatewayModel

/// ../shared/conformance, read at run time (never copied into the repository).
let sharedConformance: String = {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    return root.deletingLastPathComponent().appendingPathComponent("shared/conformance").path
}()

let sharedAvailable = FileManager.default.fileExists(atPath: sharedConformance + "/aws-recorded")

/// The cases of the families this build simulates.
let supportedCases: [ConformanceCase] = {
    guard sharedAvailable else { return [] }
    return ConformanceLoader.load(paths: [sharedConformance + "/aws-recorded"]).cases
        .filter { ConformanceRunner.supportedFamilies.contains($0.family) }
}()

/// Cases gwsh disputes, with the evidence (reported in the issue notes, not worked around): they still run and
/// must still fail the same way — if one starts passing, the known issue disappears and the test says so.
let disputedCases: [String: String] = [
    "http-proxy/backend-request-and-response-headers":
        "expects X-Amzn-Trace-Id on an HTTP_PROXY answer; the REGIONAL HTTP_PROXY recording parameter-mapping/http-proxy-no-mapping "
        + "has none (absentHeaders) and rest-request-flow.md §4.1 says so; this case's backend was a Lambda function URL, which adds "
        + "an x-amzn-trace-id header of its own (the case's notes), while the case's echo backend sends none",
]

@Suite("conformance: recorded AWS behaviour", .enabled(if: sharedAvailable, "../shared/conformance is absent: conformance cases skipped"))
struct RecordedConformanceTests {
    @Test("case", arguments: supportedCases.map(\.id))
    func recordedCase(id: String) throws {
        let c = try #require(supportedCases.first { $0.id == id })
        let outcome = ConformanceRunner().run(c)
        func check() {
            switch outcome {
            case .passed: break
            case .failed(let diffs):
                let text = "\(c.id) (\(c.source)):\n" + diffs.joined(separator: "\n")
                Issue.record(Comment(rawValue: text))
            case .malformed(let why): Issue.record(Comment(rawValue: "\(c.id) is malformed: \(why)"))
            // Not simulated yet: counted as skipped; `passRates` pins how many there are.
            case .unsupported: break
            }
        }
        if let why = disputedCases[id] {
            withKnownIssue(Comment(rawValue: "disputed case: " + why)) { check() }
        } else {
            check()
        }
    }

    @Test("the implemented families run, and pass rates are reported")
    func passRates() {
        let report = ConformanceRunner().run(paths: [sharedConformance + "/aws-recorded"])
        let lines = report.summaryLines()
        print(lines.joined(separator: "\n"))
        #expect(lines.contains { $0.hasPrefix("proxy_event_v1: ") && !$0.contains("unsupported") })
        #expect(lines.contains { $0.hasPrefix("proxy_response: ") && !$0.contains("unsupported") })
        // Families gwsh does not simulate are skipped, never passed.
        for family in ["vtl", "mock", "selection_and_errors"] {
            #expect(lines.contains { $0.hasPrefix(family + ": ") && !$0.contains("unsupported") })
        }
        #expect(lines.contains("http_api: 12/12"))
        #expect(report.results.allSatisfy { ConformanceRunner.supportedFamilies.contains($0.testCase.family) })
    }
}

@Suite("conformance: runner rules")
struct RunnerRuleTests {
    func tempDir(_ files: [String: String]) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gwsh-conf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for (name, text) in files { try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        return dir.path
    }

    static let model = #"{"region":"us-east-1","account":"111111111111","restApis":[{"id":"abc1234567","resources":{"/{proxy+}":{"ANY":{"integration":{"type":"AWS_PROXY","uri":"lambda:f"}}}},"stages":[{"stageName":"dev"}]}]}"#

    func caseJSON(expect: String, function: String = #"{"returns": {"statusCode": 201}}"#) -> String {
        #"[{"id":"t/1","family":"proxy_response","title":"t","source":"test","model":\#(Self.model),"functions":{"f":\#(function)},"backends":{},"request":{"method":"GET","path":"/dev/x","headers":[],"body":null},"expect":\#(expect)}]"#
    }

    @Test func aPassingCasePasses() throws {
        let dir = try tempDir(["a.json": caseJSON(expect: #"{"status":201,"body":{"text":""}}"#)])
        let r = ConformanceRunner().run(paths: [dir])
        #expect(r.passed == 1 && r.failed == 0 && r.exitCode == 0)
    }

    @Test func aWrongExpectationFailsWithADiff() throws {
        let dir = try tempDir(["a.json": caseJSON(expect: #"{"status":200}"#)])
        let r = ConformanceRunner().run(paths: [dir])
        #expect(r.failed == 1 && r.exitCode == 1)
        guard case .failed(let diffs) = r.results[0].outcome else { Issue.record("expected a failure"); return }
        #expect(diffs == ["status: expected 200, got 201"])
    }

    @Test func anUnknownCheckIsMalformedNotSkipped() throws {
        let dir = try tempDir(["a.json": caseJSON(expect: #"{"status":201,"somethingNew":1}"#)])
        let r = ConformanceRunner().run(paths: [dir])
        #expect(r.malformed == 1 && r.exitCode == 2)
    }

    @Test func placeholdersMustBindConsistently() throws {
        let fn = #"{"returns": {"statusCode": 200, "headers": {"a": "1", "b": "2"}}}"#
        let dir = try tempDir(["a.json": caseJSON(expect: #"{"headers":{"a":"<v:1>","b":"<v:1>"}}"#, function: fn)])
        let r = ConformanceRunner().run(paths: [dir])
        #expect(r.failed == 1)
    }

    @Test func unsupportedFamiliesAreSkippedAndNonCaseJSONIgnored() throws {
        let openapi = #"[{"id":"h","family":"openapi_import","model":{},"request":{"method":"GET","path":"/"},"expect":{"status":200}}]"#
        let dir = try tempDir(["h.json": openapi, "index.json": #"{"not":"cases"}"#, "bad.json": "[{"])
        let r = ConformanceRunner().run(paths: [dir])
        #expect(r.summaryLines() == ["openapi_import: unsupported (1 cases)", "0 passed, 0 failed, 1 skipped"])
        #expect(r.fileErrors.count == 1 && r.exitCode == 2)
    }

    /// A case of an implemented family that needs a feature gwsh stops at ("not simulated yet") is skipped with
    /// its reason, never passed or failed.
    @Test func casesNeedingAnUnsimulatedFeatureAreSkipped() throws {
        let cases = #"""
            [{"id":"s3","family":"mock","model":{"restApis":[{"id":"a1b2c3d4e5","resources":{"/x":{"GET":{"integration":
              {"type":"AWS","httpMethod":"GET","uri":"arn:aws:apigateway:us-east-1:s3:path/bucket/key","integrationResponses":{"200":{}}},
              "methodResponses":{"200":{}}}}},"stages":[{"stageName":"dev"}]}]},
              "request":{"method":"GET","path":"/dev/x"},"expect":{"status":200}},
             {"id":"ok","family":"mock","model":{"restApis":[{"id":"a1b2c3d4e5","resources":{"/x":{"GET":{"integration":
              {"type":"MOCK","requestTemplates":{"application/json":"{\"statusCode\": 200}"},"integrationResponses":{"200":{}}},
              "methodResponses":{"200":{}}}}},"stages":[{"stageName":"dev"}]}]},
              "request":{"method":"GET","path":"/dev/x"},"expect":{"status":200}}]
            """#
        let r = ConformanceRunner().run(paths: [try tempDir(["j.json": cases])])
        #expect(r.summaryLines() == ["mock: 1/1, 1 not simulated yet (skipped)", "1 passed, 0 failed, 1 skipped"])
        #expect(r.notSimulated.map(\.testCase.id) == ["s3"])
        #expect(r.exitCode == 0)
    }

    @Test func velocityCasesCompareTheExactOutputOrTheExceptionClass() throws {
        let cases = #"""
            [{"id":"ok","family":"velocity","template":"#set($a = 'A')[$a][$b]","input":{},"expected_output":"[A][$b]"},
             {"id":"aws","family":"velocity","template":"[$b]","input":{"aws":true},"expected_output":"[]"},
             {"id":"wrong","family":"velocity","template":"$a","input":{},"expected_output":"x"},
             {"id":"err","family":"velocity","template":"#if(","input":{},"expected_output":null,"expected_error":"ParseErrorException"}]
            """#
        let r = ConformanceRunner().run(paths: [try tempDir(["v.json": cases])])
        #expect(r.summaryLines() == ["velocity: 3/4", "3 passed, 1 failed, 0 skipped"])
        let failed = r.results.filter { if case .failed = $0.outcome { return true } else { return false } }.map(\.testCase.id)
        #expect(failed == ["wrong"])
    }
}
