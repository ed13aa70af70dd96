import Foundation

/// Options of `gwsh test`.
public struct SessionTestOptions: Sendable, Equatable {
    /// `--update`: rewrite expected output in place from actual output (see `SessionUpdater`).
    public var update: Bool
    /// `--bail`: stop after the first file that fails.
    public var bail: Bool

    public init(update: Bool = false, bail: Bool = false) {
        self.update = update
        self.bail = bail
    }
}

/// Exit codes of `gwsh test`, after Hurl's.
public enum SessionTestExitCode: Int32, Sendable, Equatable {
    /// Every file passed (or was updated).
    case success = 0
    /// The paths were unusable: none given, one that does not exist, or no session files in them.
    case badOptions = 1
    /// A file could not be read or parsed.
    case parseError = 2
    /// A command failed at run time and its output differed from what the file expected, or the shell
    /// for a file could not be started, or an updated file could not be written.
    case runtimeError = 3
    /// An `expect` failed or a command's output differed.
    case assertionFailed = 4

    /// When several failures happen, the run reports the most fundamental one, which is the lowest
    /// code: a file that cannot be parsed tells nothing about the rest of it, and a command that failed
    /// at run time (say, a model that would not load) usually explains the differences after it.
    func mostSevere(_ other: SessionTestExitCode) -> SessionTestExitCode {
        if self == .success { return other }
        if other == .success { return self }
        return rawValue <= other.rawValue ? self : other
    }
}

/// The outcome of `gwsh test`.
public struct SessionTestSummary: Sendable, Equatable {
    /// Files that passed, including files `--update` rewrote.
    public let passed: Int
    public let failed: Int
    public let status: SessionTestExitCode
    /// Each file's verdict and report, in the order run (for `--junit`).
    public var files: [SessionFileOutcome] = []

    public init(passed: Int, failed: Int, status: SessionTestExitCode) {
        self.passed = passed
        self.failed = failed
        self.status = status
    }

    /// Counts and status: what `gwsh test` decides; the per-file details are not part of equality.
    public static func == (a: SessionTestSummary, b: SessionTestSummary) -> Bool {
        a.passed == b.passed && a.failed == b.failed && a.status == b.status
    }

    public var exitCode: Int32 { status.rawValue }

    /// The last line `gwsh test` prints.
    public var line: String { "\(passed) passed, \(failed) failed" }
}

/// One file of a `gwsh test` run.
public struct SessionFileOutcome: Sendable, Equatable {
    public var path: String
    public var passed: Bool
    /// The report lines after the PASS/FAIL line (the diffs and notes).
    public var details: [String]
    public var seconds: Double
}

/// `gwsh test --junit FILE`: the run as JUnit XML, one test case per session file, for CI systems.
public enum JUnitReport {
    public static func xml(_ summary: SessionTestSummary, suiteName: String = "gwsh sessions") -> String {
        func escape(_ s: String) -> String {
            var out = ""
            for ch in s.unicodeScalars {
                switch ch {
                case "&": out += "&amp;"
                case "<": out += "&lt;"
                case ">": out += "&gt;"
                case "\"": out += "&quot;"
                case "\n", "\t": out.unicodeScalars.append(ch)
                default:
                    // XML 1.0 allows no other control characters.
                    if ch.value < 0x20 { out += "?" } else { out.unicodeScalars.append(ch) }
                }
            }
            return out
        }
        let time = summary.files.reduce(0) { $0 + $1.seconds }
        var lines = ["<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
                     "<testsuites tests=\"\(summary.files.count)\" failures=\"\(summary.failed)\" time=\"\(String(format: "%.3f", time))\">",
                     "  <testsuite name=\"\(escape(suiteName))\" tests=\"\(summary.files.count)\" failures=\"\(summary.failed)\" time=\"\(String(format: "%.3f", time))\">"]
        for f in summary.files {
            let name = escape(f.path)
            let open = "    <testcase classname=\"\(escape(suiteName))\" name=\"\(name)\" file=\"\(name)\" time=\"\(String(format: "%.3f", f.seconds))\""
            if f.passed {
                lines.append(open + "/>")
            } else {
                lines.append(open + ">")
                lines.append("      <failure message=\"\(escape(f.details.first ?? "failed"))\">\(escape(f.details.joined(separator: "\n")))</failure>")
                lines.append("    </testcase>")
            }
        }
        lines += ["  </testsuite>", "</testsuites>"]
        return lines.joined(separator: "\n") + "\n"
    }
}

/// `gwsh test PATH...`: replays session files and checks their output.
///
/// Each file gets a fresh `CommandRunner` from `makeRunner`, given the session file's URL so relative paths
/// inside it resolve against its directory. Every command of a file runs, even after a difference, so one
/// run reports all of a file's problems. Output, one call of `output` per line:
///
///     PASS sessions/basics.gwsh
///     FAIL sessions/status.gwsh
///     sessions/status.gwsh:4: output differs
///       gwsh> send GET /dev/status
///       --- expected
///       +++ actual
///       -200 OK
///       +500 Internal Server Error
///     1 passed, 1 failed
///
/// A command's output may legitimately be an error message (sessions show errors on purpose), so a
/// `runtimeError` only matters when the output also differed: it then makes the exit code 3 instead of 4.
/// An `expect` whose `expectationFailure` is set fails the file even if its output matched, and is
/// reported by its message rather than by a diff (the message already says what was found).
public final class SessionTester {
    public typealias RunnerFactory = (_ sessionFile: URL) throws -> any CommandRunner

    private let makeRunner: RunnerFactory

    public init(makeRunner: @escaping RunnerFactory) {
        self.makeRunner = makeRunner
    }

    /// Runs the session files in `paths` (files as given, directories searched recursively for `*.gwsh`
    /// in sorted order) and reports through `output`, always ending with `N passed, N failed`.
    /// Paths are checked before anything runs: none given, one that does not exist, or no session files
    /// in them is a bad option (exit code 1) and no file runs. Under `--update` a file whose expected
    /// output was rewritten reports `UPDATED` and counts as passed, unless it also failed otherwise.
    public func run(paths: [String], options: SessionTestOptions = .init(), output: (String) -> Void)
        -> SessionTestSummary
    {
        let files: [String]
        do {
            files = try SessionPaths.sessionFiles(in: paths)
        } catch {
            output("error: \(error)")
            return finish(SessionTestSummary(passed: 0, failed: 0, status: .badOptions), output: output)
        }

        var passed = 0
        var failed = 0
        var status = SessionTestExitCode.success
        var outcomes: [SessionFileOutcome] = []
        for (index, path) in files.enumerated() {
            let started = Date()
            let result = check(path, options: options)
            result.report.forEach(output)
            outcomes.append(SessionFileOutcome(path: path, passed: result.failure == nil, details: Array(result.report.dropFirst()),
                                               seconds: Date().timeIntervalSince(started)))
            guard let failure = result.failure else {
                passed += 1
                continue
            }
            failed += 1
            status = status.mostSevere(failure)
            let remaining = files.count - index - 1
            if options.bail, remaining > 0 {
                output("stopped after the first failure (--bail): \(counted(remaining, "file")) not run")
                break
            }
        }
        var summary = SessionTestSummary(passed: passed, failed: failed, status: status)
        summary.files = outcomes
        return finish(summary, output: output)
    }

    private func finish(_ summary: SessionTestSummary, output: (String) -> Void) -> SessionTestSummary {
        output(summary.line)
        return summary
    }

    /// What checking one file found: `failure` is nil when it passed, and `report` its lines of output.
    private struct FileResult {
        var failure: SessionTestExitCode?
        var report: [String]

        static func failed(_ path: String, _ code: SessionTestExitCode, _ lines: [String]) -> FileResult {
            FileResult(failure: code, report: ["FAIL \(path)"] + lines)
        }
    }

    /// Reads, parses and replays one file, then writes it back if `--update` changed it.
    private func check(_ path: String, options: SessionTestOptions) -> FileResult {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            return .failed(path, .parseError, ["\(path): error: cannot read the file: \(error.localizedDescription)"])
        }
        let file: SessionFile
        do {
            file = try SessionFile.parse(text: text, path: path)
        } catch {
            return .failed(path, .parseError, [error.description])
        }
        let runner: any CommandRunner
        do {
            runner = try makeRunner(URL(fileURLWithPath: path).standardizedFileURL)
        } catch {
            return .failed(path, .runtimeError, ["\(path): error: cannot start a shell for this session: \(error)"])
        }

        var replay = replayCommands(of: file, with: runner, update: options.update)
        if !replay.rewrites.isEmpty {
            // Written even when the file fails for other reasons (a failed `expect`, say): the user asked for
            // the output to be brought up to date, and the remaining failure is reported either way.
            do {
                try SessionUpdater.rewrite(text: text, outputs: replay.rewrites).write(
                    toFile: path, atomically: true, encoding: .utf8)
                if !replay.problems.isEmpty {
                    replay.notes.append(
                        "\(path): note: updated the expected output of \(counted(replay.rewrites.count, "command"))")
                }
            } catch {
                replay.problems.append("\(path): error: cannot write the updated file: \(error.localizedDescription)")
                replay.status = replay.status.mostSevere(.runtimeError)
            }
        }

        if replay.problems.isEmpty {
            let verdict = replay.rewrites.isEmpty ? "PASS" : "UPDATED"
            return FileResult(failure: nil, report: ["\(verdict) \(path)"] + replay.notes)
        }
        return .failed(path, replay.status, replay.problems + replay.notes)
    }

    /// What replaying a file's commands found.
    private struct Replay {
        /// Report lines that make the file fail.
        var problems: [String] = []
        /// Report lines that do not.
        var notes: [String] = []
        var status = SessionTestExitCode.success
        /// Under `--update`, the commands whose expected output is to be rewritten.
        var rewrites: [(command: SessionCommand, actual: [String])] = []
    }

    private func replayCommands(of file: SessionFile, with runner: any CommandRunner, update: Bool) -> Replay {
        var replay = Replay()
        for command in file.commands {
            let outcome = runner.execute(command.text)
            let location = "\(file.path):\(command.line)"
            if let failure = outcome.expectationFailure {
                replay.problems.append("\(location): expectation failed")
                replay.problems += indented(command.transcript + SessionSyntax.lines(of: failure))
                replay.status = replay.status.mostSevere(.assertionFailed)
                continue
            }
            let actual = outcome.outputLines
            let matcher = OutputMatcher(expected: command.expected)
            if matcher.matches(actual) { continue }
            if update, !command.isExpect {
                replay.rewrites.append((command, actual))
                if let error = outcome.runtimeError {
                    replay.notes.append(
                        "\(location): note: the command failed (\(error)); its output is now the expected output")
                }
                continue
            }
            let diff = OutputDiff.lines(OutputAlignment.align(matcher, actual: actual))
            if let error = outcome.runtimeError {
                replay.problems.append("\(location): command failed: \(error)")
                replay.status = replay.status.mostSevere(.runtimeError)
            } else {
                replay.problems.append("\(location): output differs")
                replay.status = replay.status.mostSevere(.assertionFailed)
            }
            replay.problems += indented(command.transcript + diff)
        }
        return replay
    }

    private func indented(_ lines: [String]) -> [String] {
        lines.map { "  " + $0 }
    }

    private func counted(_ count: Int, _ noun: String) -> String {
        "\(count) \(noun)\(count == 1 ? "" : "s")"
    }
}
