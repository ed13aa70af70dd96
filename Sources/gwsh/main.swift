import ArgumentParser
import Foundation
import Shell

/// `gwsh` — the API Gateway workbench shell.
struct Gwsh: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gwsh",
        abstract: "The API Gateway workbench shell: simulate, step and test Amazon API Gateway offline.",
        version: Programs.version,
        subcommands: [Repl.self, Run.self, Test.self, Conformance.self, Bench.self],
        defaultSubcommand: Repl.self)
}

struct Repl: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shell",
        abstract: "Start the interactive shell (the default): `gwsh [MODEL]`, on the embedded default model unless MODEL is given.")

    @Argument(help: "A model file (YAML or JSON) to load at start.")
    var model: String?

    @Option(help: "Colours: auto (on a terminal unless NO_COLOR is set), always or never.")
    var color: Colors.Mode = .auto

    func run() throws {
        let code = Programs.repl(model: model, color: color)
        if code != 0 { throw ExitCode(code) }
    }
}

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the commands of a script or session file (expected output is ignored).")

    @Argument(help: "A script (one command per line) or a session file (gwsh> prompt lines).")
    var file: String

    @Flag(help: "Print each command (and the comments of a session file) before its output, like sqlite3's .echo.")
    var echo = false

    func run() throws {
        let code = Programs.run(file: file, echo: echo)
        if code != 0 { throw ExitCode(code) }
    }
}

struct Test: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Replay session files and check their output; ends with `N passed, N failed`.",
        discussion: "Exit codes: 0 all passed, 1 bad options, 2 a file could not be parsed, 3 a runtime error, 4 an expectation or output differed.")

    @Argument(help: "Session files or directories (searched recursively for *.gwsh). Default: sessions/.")
    var paths: [String] = []

    @Flag(help: "Rewrite expected output from the actual output (keeps matching ... and (re) lines; never rewrites expect).")
    var update = false

    @Flag(help: "Stop at the first failing file.")
    var bail = false

    @Option(help: "Also write the results as JUnit XML to this file (one test case per session file), for CI systems.")
    var junit: String?

    func run() throws {
        let code = Programs.test(paths: paths, update: update, bail: bail, junit: junit)
        if code != 0 { throw ExitCode(code) }
    }
}

struct Conformance: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run recorded AWS behaviour (../shared/conformance case files) through the pipeline; pass rate per family.")

    @Argument(help: "Directories or files of cases. Default: ../shared/conformance.")
    var paths: [String] = []

    @Flag(name: .shortAndLong, help: "Show each failing case with its source and a diff.")
    var verbose = false

    @Option(help: "Only this family.")
    var family: String?

    @Option(name: .customLong("case"), help: "Only the case with this id.")
    var caseId: String?

    func run() throws {
        let code = Programs.conformance(paths: paths, verbose: verbose, family: family, caseId: caseId)
        if code != 0 { throw ExitCode(code) }
    }
}

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "In-process throughput on real time: the REST pipeline (MOCK, Lua Lambda proxy) and the Velocity engine.")

    @Option(help: "Seconds per measurement.")
    var seconds: Double = 2

    @Option(help: "Run exactly N operations per measurement instead (for allocation counts under valgrind).")
    var count: Int?

    @Option(help: "Only the measurements whose name contains this text (MOCK, Lua, mapping template, limiter, traffic, velocity engine).")
    var only: String?

    func run() throws {
        guard seconds > 0, seconds <= 600 else { throw ValidationError("--seconds must be between 0 and 600") }
        if let count, count < 1 || count > 10_000_000 { throw ValidationError("--count must be between 1 and 10000000") }
        let code = Programs.bench(seconds: seconds, count: count, only: only)
        if code != 0 { throw ExitCode(code) }
    }
}

Gwsh.main()

extension Colors.Mode: ExpressibleByArgument {}
