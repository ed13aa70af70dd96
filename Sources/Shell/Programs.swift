import CShims
import Conformance
import Foundation
import Gateway
import Sessions

/// The programs behind `gwsh`'s command line; `main` only parses arguments and calls these.
public enum Programs {
    public static let version = "0.1"

    /// `gwsh [MODEL]`: the interactive shell (or plain line mode when stdin is not a terminal).
    public static func repl(model: String?, color: Colors.Mode = .auto) -> Int32 {
        let session = ShellSession()
        let painted = Colors.enabled(color)
        let interactive = REPLLoop.isInteractive
        if let model {
            let out = session.execute("load " + quoteWord(model))
            if !out.output.isEmpty { Swift.print(out.output) }
            if out.runtimeError != nil { return 1 }
        }
        if interactive {
            Swift.print("gwsh \(version) — API Gateway workbench. Type 'help' for commands, Ctrl-D to leave.")
        }
        REPLLoop(prompt: { session.prompt }, isComplete: ShellSession.inputIsComplete, completer: { line, cursor in session.completions(line, cursor) }, handler: { line in
            let out = session.execute(line)
            if !out.output.isEmpty { Swift.print(painted ? Colors.paint(out.output) : out.output) }
            return session.wantsExit ? .exit : .continue
        }).run()
        return 0
    }

    static func quoteWord(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }

    /// `gwsh run FILE`: the commands of a script or session file, output as the shell prints it.
    public static func run(file: String, echo: Bool) -> Int32 {
        guard let data = FileManager.default.contents(atPath: file), let text = String(data: data, encoding: .utf8) else {
            FileHandle.standardError.write(Data("error: cannot read \(file)\n".utf8))
            return 1
        }
        let steps: [RunStep]
        do { steps = try SessionFile.scriptCommands(text: text, path: file, echo: echo) } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            return 2
        }
        gwsh_install_sigint_handler()
        let session = ShellSession(baseDirectory: (file as NSString).deletingLastPathComponent.isEmpty ? "." : (file as NSString).deletingLastPathComponent)
        var failed = false
        for step in steps {
            switch step {
            case .comment(let text, _):
                Swift.print(text)
            case .command(let command, _):
                if echo { Swift.print("gwsh> " + command.replacingOccurrences(of: "\n", with: "\n...> ")) }
                let out = session.execute(command)
                if !out.output.isEmpty { Swift.print(out.output) }
                if out.expectationFailure != nil || out.runtimeError != nil { failed = true }
                if session.wantsExit { return failed ? 1 : 0 }
            }
        }
        return failed ? 1 : 0
    }

    /// `gwsh test PATH...`: replays session files; ends with `N passed, N failed`.
    public static func test(paths: [String], update: Bool, bail: Bool, junit: String? = nil) -> Int32 {
        let tester = SessionTester { url in ShellSession(baseDirectory: url.deletingLastPathComponent().path) }
        let summary = tester.run(paths: paths.isEmpty ? ["sessions"] : paths, options: SessionTestOptions(update: update, bail: bail)) { Swift.print($0) }
        if let junit {
            do { try JUnitReport.xml(summary).write(toFile: junit, atomically: true, encoding: .utf8) } catch {
                Swift.print("error: cannot write the JUnit report \(junit): \(error.localizedDescription)")
                return SessionTestExitCode.runtimeError.rawValue
            }
        }
        return summary.exitCode
    }

    /// `gwsh conformance [DIR...]`: recorded AWS behaviour as cases, pass rates per family.
    public static func conformance(paths: [String], verbose: Bool, family: String?, caseId: String?) -> Int32 {
        let dirs = paths.isEmpty ? ["../shared/conformance"] : paths
        let report = ConformanceRunner(familyFilter: family, caseFilter: caseId).run(paths: dirs)
        for e in report.fileErrors { Swift.print("error: \(e)") }
        if verbose {
            for r in report.results {
                switch r.outcome {
                case .passed: continue
                case .failed(let diffs):
                    Swift.print("FAIL \(r.testCase.id)  (\(r.testCase.file))\n  source: \(r.testCase.source)")
                    for d in diffs { Swift.print("  " + d.replacingOccurrences(of: "\n", with: "\n  ")) }
                case .malformed(let why):
                    Swift.print("MALFORMED \(r.testCase.id)  (\(r.testCase.file)): \(why)")
                case .unsupported: continue
                }
            }
            for r in report.notSimulated {
                if case .unsupported(let why) = r.outcome { Swift.print("NOT SIMULATED \(r.testCase.id): \(why)") }
            }
        }
        for line in report.summaryLines() { Swift.print(line) }
        return report.exitCode
    }
}
