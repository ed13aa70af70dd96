import Foundation
import Shell
import Testing

/// The built gwsh driven through a real terminal: a private tmux server per test (its own socket, its own
/// HOME so ~/.gwsh_history is the test's), keys sent with send-keys, the screen polled with capture-pane.
@Suite(
    "gwsh in a real terminal (tmux)",
    .enabled(if: TmuxSession.tmuxPath != nil, "tmux is not installed; terminal tests skipped"),
    .serialized
)
struct TerminalTests {
    @Test("Up arrow recalls the previous line; the history file keeps it after exit")
    func historyRecall() throws {
        let session = try TmuxSession.start()
        defer { session.close() }
        try session.waitForPrompt()

        session.type("whoami")
        session.press("Enter")
        try session.waitFor("the prompt after whoami") { screen in
            screen.filter { $0.hasPrefix(TmuxSession.prompt) }.count >= 2 && screen.last == TmuxSession.prompt
        }
        session.press("Up")
        try session.waitFor("`whoami` recalled on the prompt line") { $0.last == TmuxSession.prompt + " whoami" }

        session.press("C-u")
        try session.waitFor("the recalled line cleared") { $0.last == TmuxSession.prompt }
        session.type("exit")
        session.press("Enter")
        try session.waitForExit()

        let history = try String(contentsOf: session.home.appendingPathComponent(".gwsh_history"), encoding: .utf8)
        #expect(history.split(separator: "\n").contains("whoami"), "history file: \(history)")
    }

    @Test("Tab completes a route path of the current API")
    func tabCompletesRoutePath() throws {
        let session = try TmuxSession.start()
        defer { session.close() }
        try session.waitForPrompt()
        session.type("send GET /dev/ord")
        session.press("Tab")
        // /dev/orders and /dev/orders/{id} share the prefix /dev/orders.
        try session.waitFor("the path completed to /dev/orders") { $0.last == TmuxSession.prompt + " send GET /dev/orders" }
        session.type("/42")
        session.press("Enter")
        try session.waitFor("the answer") { $0.contains { $0.hasPrefix("200 OK") } }
    }

    @Test("Ctrl-R searches the history backwards and Enter runs the line found")
    func controlRSearchesHistory() throws {
        let session = try TmuxSession.start()
        defer { session.close() }
        try session.waitForPrompt()
        session.type("send GET /dev/orders/42")
        session.press("Enter")
        try session.waitFor("the first answer") { $0.filter { $0.hasPrefix("200 OK") }.count == 1 }
        session.type("routes")
        session.press("Enter")
        try session.waitFor("the routes") { $0.last == TmuxSession.prompt && $0.contains { $0.contains("GET     /orders/{id}") } }
        session.press("C-r")
        session.type("orders/4")
        try session.waitFor("the search found the send line") { $0.contains { $0.hasSuffix("send GET /dev/orders/42") } }
        session.press("Enter")
        try session.waitFor("the line ran again") { $0.filter { $0.hasPrefix("200 OK") }.count == 2 }
    }

    @Test("Colours on a terminal; NO_COLOR output is free of escape codes")
    func noColor() throws {
        for (env, coloured) in [([String: String](), true), (["NO_COLOR": "1"], false)] {
            let session = try TmuxSession.start(environment: env)
            defer { session.close() }
            try session.waitForPrompt()
            session.type("send GET /nope")
            session.press("Enter")
            try session.waitFor("the 403") { $0.contains { $0.hasPrefix("403 Forbidden") } }
            session.type("frobnicate")
            session.press("Enter")
            try session.waitFor("the error") { $0.contains { $0.contains("unknown command 'frobnicate'") } }
            #expect(session.screenWithEscapes().contains("\u{1B}[") == coloured, "NO_COLOR: \(env)")
        }
    }

    @Test("The lua prompt continues an open statement on `lua>>` lines and runs it when it closes")
    func multiLineLua() throws {
        let session = try TmuxSession.start()
        defer { session.close() }
        try session.waitForPrompt()
        session.type("lua")
        session.press("Enter")
        try session.waitFor("the Lua prompt") { $0.last == "lua>" }
        session.type("function double(x)")
        session.press("Enter")
        try session.waitFor("the continuation prompt") { $0.last == "lua>>" }
        session.type("return 2 * x end")
        session.press("Enter")
        try session.waitFor("the statement run, back at lua>") { $0.last == "lua>" }
        session.type("double(21)")
        session.press("Enter")
        try session.waitFor("the result") { $0.suffix(2) == ["42", "lua>"] }
        session.type(".exit")
        session.press("Enter")
        try session.waitFor("the shell's prompt again") { $0.last == TmuxSession.prompt }
    }

    @Test("Ctrl-C stops a long `load`; the previous model stays and the shell goes on")
    func controlCStopsALongLoad() throws {
        // A model big enough to take seconds to parse (10,000 resources).
        var yaml = "restApis:\n  - id: big0000001\n    name: big\n    resources:\n"
        for i in 0..<10_000 {
            yaml += "      /r\(i):\n        GET: { integration: { type: MOCK, requestTemplates: { application/json: '{\"statusCode\": 200}' }, integrationResponses: { \"200\": {} } }, methodResponses: { \"200\": {} } }\n"
        }
        yaml += "    stages: [ { stageName: dev } ]\n"
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("gwsh-big-\(UUID().uuidString).yaml")
        try yaml.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }

        let session = try TmuxSession.start()
        defer { session.close() }
        try session.waitForPrompt()
        session.type("load \(file.path)")
        session.press("Enter")
        usleep(300_000)
        session.press("C-c")
        try session.waitFor("the load stopped and the prompt back") {
            $0.contains { $0.contains("error: load interrupted (Ctrl-C)") } && $0.last == TmuxSession.prompt
        }
        session.type("send GET /dev/orders/42")
        session.press("Enter")
        try session.waitFor("the previous model answering") { $0.contains { $0.hasPrefix("200 OK") } }
    }

    @Test("Tab completes a command name and adds a space")
    func tabCompletesCommandName() throws {
        let session = try TmuxSession.start()
        defer { session.close() }
        try session.waitForPrompt()

        session.type("hel")
        try session.waitFor("`hel` typed") { $0.last == TmuxSession.prompt + " hel" }
        session.press("Tab")
        // capture-pane drops trailing blanks, so the space shows as the cursor column.
        let expected = "\(TmuxSession.prompt) help "
        try session.waitFor("`help ` on the line") {
            $0.last == TmuxSession.prompt + " help" && session.cursorColumn() == expected.count
        }
    }

    @Test("Ctrl-C discards the typed line and shows a fresh prompt; exit still works")
    func controlCDiscardsLine() throws {
        let session = try TmuxSession.start()
        defer { session.close() }
        try session.waitForPrompt()

        session.type("some partial text")
        try session.waitFor("the partial text on the line") { $0.last == TmuxSession.prompt + " some partial text" }
        session.press("C-c")
        let screen = try session.waitFor("a new empty prompt") { screen in
            screen.last == TmuxSession.prompt && screen.dropLast().last?.hasPrefix(TmuxSession.prompt) == true
        }
        #expect(screen.dropLast().last?.contains("^C") == true, "screen:\n\(screen.joined(separator: "\n"))")
        #expect(!screen.contains { $0.hasPrefix("error:") || $0.contains("unknown command") },
                "the discarded line was run:\n\(screen.joined(separator: "\n"))")

        session.type("exit")
        session.press("Enter")
        try session.waitForExit()
    }
}

extension TerminalTests {
    @Test("`vtl` alone reads a multi-line template on continuation prompts until an empty line")
    func multiLineTemplate() throws {
        let session = try TmuxSession.start()
        defer { session.close() }
        try session.waitForPrompt()

        session.type("vtl --body '{\"n\": [1, 2, 3]}'")
        session.press("Enter")
        try session.waitFor("a continuation prompt") { $0.last == "...>" }
        session.type("#foreach($i in $input.path('$.n'))$i;#end")
        session.press("Enter")
        try session.waitFor("a second continuation prompt") { $0.last == "...>" && $0.dropLast().last?.hasPrefix("...> #foreach") == true }
        session.type("done")
        session.press("Enter")
        session.press("Enter")
        let screen = try session.waitFor("the rendered template and a new prompt") { screen in
            screen.last == TmuxSession.prompt && screen.dropLast().last == "1;2;3;done"
        }
        // The line break after #end is Velocity's to drop: the output continues on the same line.
        #expect(screen.contains("...> done"), "screen:\n\(screen.joined(separator: "\n"))")
        session.type("exit")
        session.press("Enter")
        try session.waitForExit()
    }
}

extension TerminalTests {
    @Test("Ctrl-C stops a long `traffic` run between requests, reports what it counted, and the shell goes on")
    func controlCStopsTraffic() throws {
        let session = try TmuxSession.start()
        defer { session.close() }
        try session.waitForPrompt()

        // A million requests take far longer than the test waits (minutes in a debug build).
        session.type("traffic GET /dev/orders/42 --rate 1000 --count 1000000")
        session.press("Enter")
        try session.waitFor("the command accepted (the prompt gone)") { $0.last?.hasPrefix(TmuxSession.prompt + " traffic") == true }
        Thread.sleep(forTimeInterval: 0.5)
        session.press("C-c")
        let screen = try session.waitFor("the interrupted report and a new prompt") { screen in
            screen.last == TmuxSession.prompt && screen.contains { $0.contains("interrupted after ") }
        }
        let counted = screen.first { $0.contains("interrupted after ") } ?? ""
        #expect(!counted.contains("interrupted after 0 "), "screen:\n\(screen.joined(separator: "\n"))")
        // The request cut short by Ctrl-C is not counted as an outcome.
        #expect(screen.contains { $0.contains("forbidden (403), 0 other") }, "screen:\n\(screen.joined(separator: "\n"))")
        #expect(screen.contains { $0.contains("requests in") && $0.contains("ok") }, "screen:\n\(screen.joined(separator: "\n"))")

        // The shell is usable: the next command runs.
        session.type("expect traffic.sent > 0")
        session.press("Enter")
        try session.waitFor("a prompt after expect") { $0.last == TmuxSession.prompt && $0.dropLast().last == TmuxSession.prompt + " expect traffic.sent > 0" }
        session.type("exit")
        session.press("Enter")
        try session.waitForExit()
    }
}

/// Line reading without a terminal, and the completion rules, on their own.
@Suite("Line reading and completion")
struct LineReadingTests {
    @Test("PlainLineReader: CRLF, invalid UTF-8, last line without newline, then end of input")
    func plainReaderLines() throws {
        let input = try pipeHolding(Array("one\r\ntwo\n".utf8) + [0xFF, 0x0A] + Array("last".utf8))
        defer { close(input) }
        let reader = PlainLineReader(fileDescriptor: input)
        #expect(reader.readLine(prompt: "ignored> ") == .line("one"))
        #expect(reader.readLine(prompt: "") == .line("two"))
        #expect(reader.readLine(prompt: "") == .line("\u{FFFD}"))
        #expect(reader.readLine(prompt: "") == .line("last"))
        #expect(reader.readLine(prompt: "") == .endOfInput)
        #expect(reader.readLine(prompt: "") == .endOfInput)
    }

    @Test("Continuation lines are read until the input is complete; an incomplete end is handed over")
    func continuationLines() throws {
        let input = try pipeHolding(Array("a \\\nb \\\nc\nd \\".utf8))
        defer { close(input) }
        let reader = PlainLineReader(fileDescriptor: input)
        let complete: (String) -> Bool = { !$0.hasSuffix("\\") }
        #expect(reader.readLine(prompt: "> ", continuationPrompt: "...> ", isComplete: complete) == .line("a \\\nb \\\nc"))
        #expect(reader.readLine(prompt: "> ", continuationPrompt: "...> ", isComplete: complete) == .line("d \\"))
        #expect(reader.readLine(prompt: "> ", continuationPrompt: "...> ", isComplete: complete) == .endOfInput)
    }

    @Test("Tab: unique → rest and a space; several → common prefix, else list; none → nothing")
    func completionPlan() {
        #expect(CompletionPlan.make(word: "hel", candidates: ["help", "exit"]) == .insert("p "))
        #expect(CompletionPlan.make(word: "help", candidates: ["help"]) == .insert(" "))
        #expect(CompletionPlan.make(word: "hel", candidates: ["help"], spaceAfterUnique: false) == .insert("p"))
        #expect(CompletionPlan.make(word: "l", candidates: ["load", "log", "list"]) == .list(["list", "load", "log"]))
        #expect(CompletionPlan.make(word: "l", candidates: ["load", "log"]) == .insert("o"))
        #expect(CompletionPlan.make(word: "lo", candidates: ["load", "log", "load"]) == .list(["load", "log"]))
        #expect(CompletionPlan.make(word: "x", candidates: ["load"]) == .none)
        #expect(CompletionPlan.make(word: "", candidates: []) == .none)
        #expect(CompletionPlan.make(word: "hé", candidates: ["héllo", "hélas"]) == .insert("l"))
    }

    @Test("Candidates are listed in columns, top to bottom")
    func completionColumns() {
        // Cells are 4 wide ("bb" + 2): 9 columns of terminal hold 2 of them, 12 hold 3.
        #expect(CompletionColumns.rows(["a", "bb", "c", "d", "e"], width: 9) == ["a   d", "bb  e", "c"])
        #expect(CompletionColumns.rows(["a", "bb", "c", "d", "e"], width: 12) == ["a   c   e", "bb  d"])
        #expect(CompletionColumns.rows(["日本", "x", "y"], width: 12) == ["日本  y", "x"])
        #expect(CompletionColumns.displayWidth("héllo") == 5)
        #expect(CompletionColumns.displayWidth("he\u{301}llo") == 5)
        #expect(CompletionColumns.rows(["only"], width: 2) == ["only"])
        #expect(CompletionColumns.rows([], width: 80) == [])
    }
}

/// The read end of a pipe that holds `bytes` and is closed for writing.
private func pipeHolding(_ bytes: [UInt8]) throws -> Int32 {
    var ends: [Int32] = [0, 0]
    guard pipe(&ends) == 0 else { throw TerminalTestError(description: "pipe() failed") }
    defer { close(ends[1]) }
    let written = bytes.withUnsafeBytes { write(ends[1], $0.baseAddress, $0.count) }
    guard written == bytes.count else { throw TerminalTestError(description: "short write to pipe") }
    return ends[0]
}

struct TerminalTestError: Error, CustomStringConvertible {
    let description: String
}

/// One gwsh in a detached tmux session on a private server.
final class TmuxSession {
    /// The prompt of the default model, as capture-pane shows it (trailing space trimmed).
    static let prompt = "orders>"
    static let timeout: TimeInterval = 10

    static let tmuxPath: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/tmux" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    /// <package root>/.build/debug/gwsh, the package root found from this file's path.
    static func gwshBinary(file: String = #filePath) -> URL {
        URL(fileURLWithPath: file)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(".build/debug/gwsh")
    }

    let home: URL
    private let tmux: String
    private let socket = "gwsh-test-\(UUID().uuidString)"
    private let environment: [String: String]

    private init(tmux: String, home: URL, extra: [String: String]) {
        self.tmux = tmux
        self.home = home
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = nil
        for (k, v) in extra { environment[k] = v }
        environment["HOME"] = home.path
        environment["TMUX"] = nil
        environment["TMUX_PANE"] = nil
        if environment["LANG"] == nil && environment["LC_ALL"] == nil { environment["LANG"] = "C.UTF-8" }
        self.environment = environment
    }

    static func start(environment extra: [String: String] = [:]) throws -> TmuxSession {
        let binary = gwshBinary()
        try #require(FileManager.default.isExecutableFile(atPath: binary.path),
                     "build gwsh first: swift build (no executable at \(binary.path))")
        let tmux = try #require(tmuxPath, "tmux is not installed")
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("gwsh-terminal-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        let session = TmuxSession(tmux: tmux, home: home, extra: extra)
        let started = session.run([
            "new-session", "-d", "-x", "120", "-y", "40", "-s", "gwsh", binary.path,
            ";", "set-option", "-w", "-t", "gwsh", "remain-on-exit", "on",
        ])
        guard started.status == 0 else {
            session.close()
            throw TerminalTestError(description: "tmux new-session failed: \(started.output)")
        }
        return session
    }

    func close() {
        _ = run(["kill-server"])
        try? FileManager.default.removeItem(at: home)
    }

    /// Types text literally (no key names).
    func type(_ text: String) { _ = run(["send-keys", "-t", "gwsh", "-l", text]) }

    /// Presses a key by tmux name: "Enter", "Up", "Tab", "C-c".
    func press(_ key: String) { _ = run(["send-keys", "-t", "gwsh", key]) }

    /// The visible lines, trailing blank lines removed.
    func screen() -> [String] {
        var lines = run(["capture-pane", "-p", "-t", "gwsh"]).output.components(separatedBy: "\n")
        while let last = lines.last, last.trimmingCharacters(in: .whitespaces).isEmpty { lines.removeLast() }
        return lines
    }

    func cursorColumn() -> Int? { Int(format("#{cursor_x}")) }

    /// The visible text with its escape sequences (colours), as the terminal received them.
    func screenWithEscapes() -> String { run(["capture-pane", "-p", "-e", "-t", "gwsh"]).output }

    var isFinished: Bool { format("#{pane_dead}") == "1" }

    /// Polls the screen until `condition` holds; throws with the last screen after `timeout` seconds.
    @discardableResult
    func waitFor(_ what: String, _ condition: ([String]) -> Bool) throws -> [String] {
        let deadline = Date().addingTimeInterval(Self.timeout)
        while true {
            let lines = screen()
            if condition(lines) { return lines }
            if Date() > deadline {
                throw TerminalTestError(
                    description: "timed out waiting for \(what); screen:\n\(lines.joined(separator: "\n"))")
            }
            usleep(50_000)
        }
    }

    func waitForPrompt() throws {
        let screen = try waitFor("the banner and the first prompt") { $0.last == Self.prompt }
        let banner = screen.first { !$0.isEmpty } ?? ""
        #expect(banner.hasPrefix("gwsh "), "banner: \(banner)")
    }

    /// Waits until the pane's program has closed the terminal. The exit status is checked when tmux has
    /// one: tmux 3.3 sometimes leaves a pane's process unreaped after a Ctrl-C (libedit's stock example
    /// too), and then reports no status at all.
    func waitForExit() throws {
        try waitFor("gwsh to exit") { _ in isFinished }
        let status = format("#{pane_dead_status}")
        #expect(status.isEmpty || status == "0", "exit status \(status)")
    }

    private func format(_ format: String) -> String {
        run(["display-message", "-p", "-t", "gwsh", format]).output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Runs a tmux command and returns its exit status and output.
    private func run(_ arguments: [String]) -> (status: Int32, output: String) {
        let outputPath = FileManager.default.temporaryDirectory
            .appendingPathComponent("gwsh-tmux-\(UUID().uuidString)").path
        defer { unlink(outputPath) }
        let status = spawnAndWait(
            [tmux, "-L", socket, "-f", "/dev/null"] + arguments, environment: environment, outputPath: outputPath)
        let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        return (status, output)
    }
}

/// Runs a program to its end with posix_spawn rather than Foundation's Process, because the tmux client
/// forks the server, which would inherit whatever the child has:
/// - Process (Linux) notices a child's exit when a socket it passes down closes; the server keeps it
///   open, so waiting on `tmux new-session` never ends. Here only stdin (/dev/null) and stdout/stderr
///   (`outputPath`) are passed on, and the exit is collected with waitpid.
/// - A test runs on a worker thread that blocks most signals; the server would inherit that mask and
///   ignore the SIGTERM of `kill-server` (and gwsh the SIGHUP that ends it). Here the mask is emptied
///   and the usual signals get their default actions.
/// Returns the exit status, 128 + the signal if it was killed, or -1 if it could not be started.
private func spawnAndWait(_ arguments: [String], environment: [String: String], outputPath: String) -> Int32 {
    #if os(Linux)
    var actions = posix_spawn_file_actions_t()
    var attributes = posix_spawnattr_t()
    #else
    var actions: posix_spawn_file_actions_t?
    var attributes: posix_spawnattr_t?
    #endif
    posix_spawn_file_actions_init(&actions)
    posix_spawnattr_init(&attributes)
    defer {
        posix_spawn_file_actions_destroy(&actions)
        posix_spawnattr_destroy(&attributes)
    }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    posix_spawn_file_actions_adddup2(&actions, 1, 2)
    var flags = Int32(POSIX_SPAWN_SETSIGMASK) | Int32(POSIX_SPAWN_SETSIGDEF)
    #if os(Linux)
    // Close every other inherited descriptor (close errors in the child are ignored by glibc).
    let openMax = min(Int32(clamping: sysconf(Int32(_SC_OPEN_MAX))), 65_536)
    for descriptor in Int32(3)..<max(openMax, 3) where fcntl(descriptor, F_GETFD) != -1 {
        posix_spawn_file_actions_addclose(&actions, descriptor)
    }
    #else
    flags |= Int32(POSIX_SPAWN_CLOEXEC_DEFAULT)
    #endif
    var noSignals = sigset_t()
    sigemptyset(&noSignals)
    posix_spawnattr_setsigmask(&attributes, &noSignals)
    var defaultSignals = sigset_t()
    sigemptyset(&defaultSignals)
    for signal in [SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGPIPE, SIGCHLD] { sigaddset(&defaultSignals, signal) }
    posix_spawnattr_setsigdefault(&attributes, &defaultSignals)
    posix_spawnattr_setflags(&attributes, Int16(flags))

    let argv = arguments.map { strdup($0) } + [nil]
    let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
        argv.forEach { free($0) }
        envp.forEach { free($0) }
    }
    var pid = pid_t()
    guard posix_spawn(&pid, arguments[0], &actions, &attributes, argv, envp) == 0 else { return -1 }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) == -1 {
        guard errno == EINTR else { return -1 }
    }
    let signal = status & 0x7F
    return signal == 0 ? (status >> 8) & 0xFF : 128 + signal
}
