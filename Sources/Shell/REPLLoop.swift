import CShims
import Foundation

/// What the REPL does after a command.
public enum REPLAction: Equatable, Sendable {
    case `continue`
    case exit
}

/// The read–run loop of the interactive shell.
///
/// Standard input a terminal → `LineEditor` (prompts, history, completion); otherwise → `PlainLineReader`
/// (no prompt), so piped input and files behave the same. Ctrl-C is handled by the flag-only SIGINT
/// handler: at the prompt it discards the line and prompts again; while the handler runs a command it
/// only raises the flag, which long-running code polls with `gwsh_interrupt_pending()`. A flag still
/// raised when the command returns is cleared, so it cannot cancel the next one.
public struct REPLLoop {
    public var programName: String
    public var historyFile: URL?
    public var prompt: () -> String
    public var continuationPrompt: String
    public var isComplete: (String) -> Bool
    public var completer: (_ line: String, _ cursor: Int) -> [String]
    public var handler: (String) -> REPLAction

    /// - Parameters:
    ///   - historyFile: the interactive history; `defaultHistoryFile` (~/.gwsh_history) unless given.
    ///   - prompt: asked before every new input (the model may have changed).
    ///   - continuationPrompt: shown while `isComplete` rejects the text so far.
    ///   - isComplete: whether the text read so far (lines joined with "\n") is a whole input.
    ///   - completer: candidates for Tab (see `LineEditor.init`).
    ///   - handler: runs one input, every line included (blank ones too); says whether to go on.
    public init(
        programName: String = "gwsh",
        historyFile: URL? = REPLLoop.defaultHistoryFile,
        prompt: @escaping () -> String,
        continuationPrompt: String = "...> ",
        isComplete: @escaping (String) -> Bool = { _ in true },
        completer: @escaping (_ line: String, _ cursor: Int) -> [String] = { _, _ in [] },
        handler: @escaping (String) -> REPLAction
    ) {
        self.programName = programName
        self.historyFile = historyFile
        self.prompt = prompt
        self.continuationPrompt = continuationPrompt
        self.isComplete = isComplete
        self.completer = completer
        self.handler = handler
    }

    /// ~/.gwsh_history, from $HOME (falling back to the account's home directory).
    public static var defaultHistoryFile: URL? {
        let home = ProcessInfo.processInfo.environment["HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? FileManager.default.homeDirectoryForCurrentUser.path
        return URL(fileURLWithPath: home).appendingPathComponent(".gwsh_history")
    }

    /// Whether standard input is a terminal, i.e. whether `run` edits lines interactively.
    public static var isInteractive: Bool { isatty(STDIN_FILENO) == 1 }

    /// Reads and runs inputs until the handler says `.exit` or the input ends (Ctrl-D, end of pipe).
    public func run() {
        gwsh_install_sigint_handler()
        gwsh_edit_unblock_sigint()
        let interactive = Self.isInteractive
        let reader = makeReader(interactive: interactive)
        while true {
            fflush(nil)
            switch reader.readLine(prompt: prompt(), continuationPrompt: continuationPrompt, isComplete: isComplete) {
            case .interrupted:
                gwsh_clear_interrupt()
            case .endOfInput:
                if interactive { print() }
                fflush(nil)
                return
            case .line(let text):
                let action = handler(text)
                fflush(nil)
                gwsh_clear_interrupt()
                if action == .exit { return }
            }
        }
    }

    private func makeReader(interactive: Bool) -> any LineReader {
        if interactive, let editor = LineEditor(programName: programName, historyFile: historyFile, completer: completer) {
            return editor
        }
        return PlainLineReader()
    }
}
