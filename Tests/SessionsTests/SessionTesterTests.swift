import Foundation
import Testing

@testable import Sessions

@Suite struct SessionTesterTests {
    private let shell = FakeShell([
        "load a.yaml": printed("Loaded REST API a (a7k2m9q4rt): 2 resources"),
        "send GET /dev/status": printed("500 Internal Server Error", "content-type: application/json", "", "{}"),
        "expect status == 400": CommandOutcome(
            output: "expect status == 400: found 500", expectationFailure: "status: expected 400, found 500"),
        "expect status == 500": printed(),
        "load missing.yaml": CommandOutcome(
            output: "error: cannot read missing.yaml", runtimeError: "cannot read missing.yaml"),
    ])

    @Test func passingFile() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = try dir.write(
            "ok.gwsh",
            """
            # Loads and checks.
            gwsh> load a.yaml
            Loaded REST API a \\([a-z0-9]{10}\\): 2 resources (re)
            gwsh> send GET /dev/status
            500 Internal Server Error
            ...
            gwsh> expect status == 500

            """)
        let (summary, lines) = shell.test([path])
        #expect(lines == ["PASS \(path)", "1 passed, 0 failed"])
        #expect(summary == SessionTestSummary(passed: 1, failed: 0, status: .success))
        #expect(summary.exitCode == 0)
        #expect(shell.runners.map(\.executed) == [["load a.yaml", "send GET /dev/status", "expect status == 500"]])
    }

    @Test func differingOutputIsReportedAsADiffWithExitCode4() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = try dir.write(
            "status.gwsh",
            """
            gwsh> load a.yaml
            Loaded REST API a (a7k2m9q4rt): 2 resources
            gwsh> send GET /dev/status
            200 OK
            content-type: application/json
            ...
            gwsh> expect status == 500
            """)
        let (summary, lines) = shell.test([path])
        #expect(
            lines == [
                "FAIL \(path)",
                "\(path):3: output differs",
                "  gwsh> send GET /dev/status",
                "  --- expected",
                "  +++ actual",
                "  -200 OK",
                "  +500 Internal Server Error",
                "   content-type: application/json",
                "   ...",
                "0 passed, 1 failed",
            ])
        #expect(summary.exitCode == 4)
    }

    @Test func longUnchangedStretchesAreCollapsedInTheDiff() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let body = (1...10).map { "line \($0)" }
        shell.outcomes["list"] = CommandOutcome(output: (body + ["new end"]).joined(separator: "\n"))
        let path = try dir.write("long.gwsh", (["gwsh> list"] + body + ["old end"]).joined(separator: "\n"))
        let (_, lines) = shell.test([path])
        #expect(
            lines == [
                "FAIL \(path)",
                "\(path):1: output differs",
                "  gwsh> list",
                "  --- expected",
                "  +++ actual",
                "  @@ 7 matching lines @@",
                "   line 8",
                "   line 9",
                "   line 10",
                "  -old end",
                "  +new end",
                "0 passed, 1 failed",
            ])
    }

    @Test func failedExpectationIsReportedWithItsMessage() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = try dir.write("expect.gwsh", "gwsh> expect status == 400\nexpect status == 400: found 500\n")
        let (summary, lines) = shell.test([path])
        #expect(
            lines == [
                "FAIL \(path)",
                "\(path):1: expectation failed",
                "  gwsh> expect status == 400",
                "  status: expected 400, found 500",
                "0 passed, 1 failed",
            ])
        #expect(summary.exitCode == 4)
    }

    @Test func runtimeErrorOnlyCountsWhenTheOutputDiffers() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let shown = try dir.write("shown.gwsh", "gwsh> load missing.yaml\nerror: cannot read missing.yaml\n")
        let (passing, passLines) = shell.test([shown])
        #expect(passLines == ["PASS \(shown)", "1 passed, 0 failed"])
        #expect(passing.exitCode == 0)

        let broken = try dir.write("broken.gwsh", "gwsh> load missing.yaml\nLoaded\n")
        let (failing, failLines) = shell.test([broken])
        #expect(failLines[1] == "\(broken):1: command failed: cannot read missing.yaml")
        #expect(failLines.contains("  +error: cannot read missing.yaml"))
        #expect(failing.exitCode == 3)
    }

    @Test func unparsableFileFailsWithExitCode2() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = try dir.write("bad.gwsh", "gwsh> load a.yaml\nLoaded\n...> oops\n")
        let (summary, lines) = shell.test([path])
        #expect(lines.first == "FAIL \(path)")
        #expect(lines[1].hasPrefix("\(path):3:1: error: continuation line"))
        #expect(lines.last == "0 passed, 1 failed")
        #expect(summary.exitCode == 2)
        #expect(shell.runners.isEmpty)
    }

    @Test func mostFundamentalFailureChoosesTheExitCode() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("a-differs.gwsh", "gwsh> load a.yaml\nwrong\n")
        try dir.write("b-unparsable.gwsh", "stray\ngwsh> load a.yaml\n")
        try dir.write("c-runtime.gwsh", "gwsh> load missing.yaml\n")
        let (summary, lines) = shell.test([dir.path])
        #expect(lines.last == "0 passed, 3 failed")
        #expect(summary.status == .parseError)
        #expect(SessionTestExitCode.assertionFailed.mostSevere(.runtimeError) == .runtimeError)
        #expect(SessionTestExitCode.success.mostSevere(.assertionFailed) == .assertionFailed)
        #expect(SessionTestExitCode.badOptions.mostSevere(.parseError) == .badOptions)
    }

    @Test func summaryCountsPassedAndFailedFiles() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("a.gwsh", "gwsh> load a.yaml\nLoaded REST API a (a7k2m9q4rt): 2 resources\n")
        try dir.write("b.gwsh", "gwsh> load a.yaml\nsomething else\n")
        let (summary, lines) = shell.test([dir.path])
        #expect(lines.first == "PASS \(dir.path)/a.gwsh")
        #expect(lines.contains("FAIL \(dir.path)/b.gwsh"))
        #expect(lines.last == "1 passed, 1 failed")
        #expect(summary == SessionTestSummary(passed: 1, failed: 1, status: .assertionFailed))
    }

    @Test func bailStopsAfterTheFirstFailingFile() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("a.gwsh", "gwsh> load a.yaml\nLoaded REST API a (a7k2m9q4rt): 2 resources\n")
        try dir.write("b.gwsh", "gwsh> load a.yaml\nwrong\n")
        try dir.write("c.gwsh", "gwsh> load a.yaml\nwrong\n")
        try dir.write("d.gwsh", "gwsh> load a.yaml\nwrong\n")
        let (summary, lines) = shell.test([dir.path], bail: true)
        #expect(!lines.contains { $0.contains("c.gwsh") || $0.contains("d.gwsh") })
        #expect(lines.suffix(2) == ["stopped after the first failure (--bail): 2 files not run", "1 passed, 1 failed"])
        #expect(summary.exitCode == 4)
        #expect(shell.runners.count == 2)
    }

    @Test func directoriesAreSearchedRecursivelyInSortedOrder() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let ok = "gwsh> load a.yaml\nLoaded REST API a (a7k2m9q4rt): 2 resources\n"
        for name in ["b.gwsh", "a/z.gwsh", "a/c.gwsh", "a/deep/x.gwsh", ".hidden/h.gwsh", "notes.txt", ".h.gwsh"] {
            try dir.write(name, ok)
        }
        let explicit = try dir.write("explicit.session", ok)
        let (summary, lines) = shell.test([dir.path + "/", explicit])
        #expect(
            lines == [
                "PASS \(dir.path)/a/c.gwsh",
                "PASS \(dir.path)/a/deep/x.gwsh",
                "PASS \(dir.path)/a/z.gwsh",
                "PASS \(dir.path)/b.gwsh",
                "PASS \(explicit)",
                "5 passed, 0 failed",
            ])
        #expect(summary.exitCode == 0)
    }

    @Test func eachFileGetsAFreshRunnerForItsOwnURL() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let first = try dir.write("one/a.gwsh", "gwsh> expect status == 500\n")
        let second = try dir.write("two/b.gwsh", "gwsh> expect status == 500\n")
        _ = shell.test([first, second, first])
        #expect(shell.runners.count == 2)
        #expect(shell.runners.map(\.sessionFile.path) == [first, second])
        #expect(shell.runners.allSatisfy { $0.executed == ["expect status == 500"] })
    }

    @Test func badPathsAreBadOptions() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("readme.txt", "no sessions here")

        let (missing, missingLines) = shell.test([dir.path + "/nope"])
        #expect(missingLines == ["error: no such file or directory: \(dir.path)/nope", "0 passed, 0 failed"])
        #expect(missing.exitCode == 1)

        let (empty, emptyLines) = shell.test([dir.path])
        #expect(emptyLines == ["error: no session files (*.gwsh) in \(dir.path)", "0 passed, 0 failed"])
        #expect(empty.exitCode == 1)

        let (none, noneLines) = shell.test([])
        #expect(noneLines == ["error: no session files or directories given", "0 passed, 0 failed"])
        #expect(none.exitCode == 1)
    }

    @Test func runnerThatCannotStartIsARuntimeError() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = try dir.write("a.gwsh", "gwsh> load a.yaml\n")
        struct NoShell: Error, CustomStringConvertible { var description: String { "no Lua" } }
        var lines: [String] = []
        let summary = SessionTester { _ in throw NoShell() }.run(paths: [path], options: .init()) { lines.append($0) }
        #expect(
            lines == [
                "FAIL \(path)", "\(path): error: cannot start a shell for this session: no Lua", "0 passed, 1 failed",
            ])
        #expect(summary.exitCode == 3)
    }

    @Test func outputLinesTreatOneTrailingNewlineAsATerminator() {
        #expect(CommandOutcome(output: "").outputLines == [])
        #expect(CommandOutcome(output: "a").outputLines == ["a"])
        #expect(CommandOutcome(output: "a\n").outputLines == ["a"])
        #expect(CommandOutcome(output: "a\n\n").outputLines == ["a", ""])
        #expect(CommandOutcome(output: "\n").outputLines == [""])
        #expect(CommandOutcome(output: "a\nb").outputLines == ["a", "b"])
    }
}
