import Foundation
import GatewayModel
import Sessions
import Testing

@testable import Shell

/// The repository's session files replayed as `gwsh test` replays them, plus the reporting of failures
/// and the embedded default model's promises (SESSIONS.md, MODEL.md).
@Suite struct SessionFilesTests {
    /// The repository root, found from this file's path (Tests/ShellTests/SessionFilesTests.swift).
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Every `*.gwsh` under sessions/, as paths relative to the repository, in sorted order.
    static func sessionFiles() -> [String] {
        let sessions = repository.appendingPathComponent("sessions")
        guard let walker = FileManager.default.enumerator(atPath: sessions.path) else { return [] }
        return walker.compactMap { $0 as? String }.filter { $0.hasSuffix(".gwsh") }.sorted().map { "sessions/" + $0 }
    }

    /// Replays session files with a fresh `ShellSession` per file, as `gwsh test` does; returns the
    /// summary and the report lines.
    static func replay(_ paths: [String], options: SessionTestOptions = .init()) -> (SessionTestSummary, [String]) {
        let tester = SessionTester { url in ShellSession(baseDirectory: url.deletingLastPathComponent().path) }
        var report: [String] = []
        let summary = tester.run(paths: paths, options: options) { report.append($0) }
        return (summary, report)
    }

    /// A session file in a fresh temporary directory; the directory is removed by `cleanUp`.
    static func temporarySession(_ text: String) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gwsh-session-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let file = dir.appendingPathComponent("case.gwsh")
        try text.write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    static func cleanUp(_ file: URL) {
        try? FileManager.default.removeItem(at: file.deletingLastPathComponent())
    }

    @Test func theRepositoryHasSessionFiles() {
        #expect(Self.sessionFiles().count >= 8, "sessions found: \(Self.sessionFiles())")
    }

    @Test("Each session file passes", arguments: SessionFilesTests.sessionFiles())
    func sessionFilePasses(_ relativePath: String) {
        let path = Self.repository.appendingPathComponent(relativePath).path
        let (summary, report) = Self.replay([path])
        #expect(summary.passed == 1 && summary.failed == 0 && summary.exitCode == 0,
                "\(relativePath):\n\(report.joined(separator: "\n"))")
        #expect(report.last == "1 passed, 0 failed")
    }

    @Test func wrongExpectedOutputFailsWithADiffAndExitCode4() throws {
        let file = try Self.temporarySession("""
            # The MOCK method answers 200; this file claims 404.
            gwsh> send GET /dev/orders/42
            404 Not Found  (MOCK, 0 ms)  content-type: application/json
            {"id": "42", "status": "shipped"}
            gwsh> clock
            2026-03-05T12:00:00Z  (Thu Mar 05 12:00:00 UTC 2026)

            """)
        defer { Self.cleanUp(file) }
        let (summary, report) = Self.replay([file.path])
        let text = report.joined(separator: "\n")
        #expect(summary.passed == 0 && summary.failed == 1)
        #expect(summary.exitCode == 4, "\(text)")
        #expect(report.first == "FAIL \(file.path)")
        #expect(report.contains("\(file.path):2: output differs"), "\(text)")
        #expect(report.contains("  --- expected") && report.contains("  +++ actual"), "\(text)")
        #expect(report.contains("  -404 Not Found  (MOCK, 0 ms)  content-type: application/json"), "\(text)")
        #expect(report.contains("  +200 OK  (MOCK, 0 ms)  content-type: application/json"), "\(text)")
        // Only the command whose output differed is reported.
        #expect(!text.contains("gwsh> clock"), "\(text)")
        #expect(report.last == "0 passed, 1 failed")
    }

    @Test func failedExpectIsReportedWithWhatWasFound() throws {
        let file = try Self.temporarySession("""
            gwsh> send GET /dev/orders/42
            200 OK  (MOCK, 0 ms)  content-type: application/json
            {"id": "42", "status": "shipped"}
            gwsh> expect status == 200
            gwsh> expect body.status == pending

            """)
        defer { Self.cleanUp(file) }
        let (summary, report) = Self.replay([file.path])
        let text = report.joined(separator: "\n")
        #expect(summary.failed == 1 && summary.exitCode == 4, "\(text)")
        #expect(report.contains("\(file.path):5: expectation failed"), "\(text)")
        #expect(text.contains("gwsh> expect body.status == pending"), "\(text)")
        #expect(text.contains("expect failed: body.status == pending"), "\(text)")
        #expect(text.contains("found: \"shipped\""), "\(text)")
        // The expect that held is not mentioned.
        #expect(!text.contains("status == 200"), "\(text)")
    }

    @Test func failedExpectFailsEvenUnderUpdate() throws {
        let file = try Self.temporarySession("""
            gwsh> send GET /dev/orders/42
            200 OK  (MOCK, 0 ms)  content-type: application/json
            {"id": "42", "status": "shipped"}
            gwsh> expect status == 500

            """)
        defer { Self.cleanUp(file) }
        let before = try String(contentsOf: file, encoding: .utf8)
        let (summary, report) = Self.replay([file.path], options: SessionTestOptions(update: true))
        #expect(summary.failed == 1 && summary.exitCode == 4, "\(report.joined(separator: "\n"))")
        #expect(try String(contentsOf: file, encoding: .utf8) == before)
    }

    @Test func relativePathsResolveAgainstTheSessionFile() throws {
        let file = try Self.temporarySession("""
            gwsh> load model.yaml
            Loaded REST API tiny (t1ny0api00): 2 resources, 1 method, stage v1
            gwsh> send GET /v1/ping
            200 OK  (MOCK, 0 ms)  content-type: application/json
            {"pong": true}

            """)
        defer { Self.cleanUp(file) }
        try """
            region: us-east-1
            account: "111111111111"
            restApis:
              - id: t1ny0api00
                name: tiny
                resources:
                  /ping:
                    GET:
                      methodResponses: { "200": {} }
                      integration:
                        type: MOCK
                        requestTemplates: { application/json: '{"statusCode": 200}' }
                        integrationResponses:
                          "200": { statusCode: "200", responseTemplates: { application/json: '{"pong": true}' } }
                stages: [ { stageName: v1 } ]
            """.write(to: file.deletingLastPathComponent().appendingPathComponent("model.yaml"), atomically: true, encoding: .utf8)
        let (summary, report) = Self.replay([file.path])
        #expect(summary.exitCode == 0, "\(report.joined(separator: "\n"))")
    }

    @Test func embeddedPluginIsPluginsOrdersLuaByteForByte() throws {
        let onDisk = try Data(contentsOf: Self.repository.appendingPathComponent(DefaultModel.ordersPluginPath))
        #expect(Data(DefaultModel.ordersLua.utf8) == onDisk,
                "Sources/Shell/DefaultModelPlugins.swift is stale: rerun scripts/embed-default-plugins.sh")
        #expect(DefaultModel.embeddedPlugins[DefaultModel.ordersPluginPath] == DefaultModel.ordersLua)
    }

    @Test func embeddedDefaultModelLoadsWithoutNotes() throws {
        let world = try ModelLoader.load(text: DefaultModel.yaml, file: DefaultModel.name, baseDirectory: nil)
        #expect(world.notes.isEmpty, "\(world.notes)")
        #expect(world.restApis.map(\.id) == ["rohkz08x02"])
        #expect(world.restApis.first?.name == "orders")
        #expect(world.plugins.map(\.path) == [DefaultModel.ordersPluginPath])
    }
}
