import Foundation
import Sessions

/// A shell stand-in: canned outcomes by command text; anything else is an unknown command.
final class FakeRunner: CommandRunner {
    let sessionFile: URL
    private let outcomes: [String: CommandOutcome]
    private(set) var executed: [String] = []

    init(sessionFile: URL, outcomes: [String: CommandOutcome]) {
        self.sessionFile = sessionFile
        self.outcomes = outcomes
    }

    func execute(_ command: String) -> CommandOutcome {
        executed.append(command)
        if let outcome = outcomes[command] { return outcome }
        let message = "error: unknown command '\(command)'"
        return CommandOutcome(output: message, runtimeError: message)
    }
}

/// Builds a tester over `FakeRunner`s and remembers each runner it made.
final class FakeShell {
    var outcomes: [String: CommandOutcome]
    private(set) var runners: [FakeRunner] = []

    init(_ outcomes: [String: CommandOutcome] = [:]) {
        self.outcomes = outcomes
    }

    func tester() -> SessionTester {
        SessionTester { [self] url in
            let runner = FakeRunner(sessionFile: url, outcomes: outcomes)
            runners.append(runner)
            return runner
        }
    }

    /// Runs `gwsh test` and returns the summary and the printed lines.
    func test(_ paths: [String], update: Bool = false, bail: Bool = false) -> (SessionTestSummary, [String]) {
        var lines: [String] = []
        let summary = tester().run(paths: paths, options: SessionTestOptions(update: update, bail: bail)) {
            lines.append($0)
        }
        return (summary, lines)
    }
}

/// A fresh directory under the system's temporary directory, removed by `remove()`.
struct TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("gwsh-sessions-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    var path: String { url.path }

    /// Writes `text` to `relative` (creating directories) and returns the file's path.
    @discardableResult
    func write(_ relative: String, _ text: String) throws -> String {
        let file = url.appendingPathComponent(relative)
        try FileManager.default.createDirectory(
            at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: file, atomically: true, encoding: .utf8)
        return file.path
    }

    func read(_ relative: String) throws -> String {
        try String(contentsOf: url.appendingPathComponent(relative), encoding: .utf8)
    }

    func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}

/// Output as a shell prints it: lines joined with "\n".
func printed(_ lines: String...) -> CommandOutcome {
    CommandOutcome(output: lines.joined(separator: "\n"))
}
