import Foundation

/// What the session runner needs from a shell: run one command and return what it printed.
/// `Shell` implements it; Sessions needs no terminal and never imports Shell.
public protocol CommandRunner: AnyObject {
    /// Runs one command (its continuation lines joined with "\n") and returns its output.
    func execute(_ command: String) -> CommandOutcome
}

/// The result of one command as the session runner sees it.
public struct CommandOutcome: Sendable, Equatable {
    /// Everything the command printed, lines separated by "\n" (no trailing newline needed).
    public var output: String
    /// Set when the command was an `expect` that failed: what was expected and found.
    public var expectationFailure: String?
    /// Set when the command failed at run time (unknown command, bad arguments, a file that would not load).
    /// Its message is also part of `output`, as the user would see it; the runner treats it like any output.
    public var runtimeError: String?

    public init(output: String, expectationFailure: String? = nil, runtimeError: String? = nil) {
        self.output = output
        self.expectationFailure = expectationFailure
        self.runtimeError = runtimeError
    }
}

extension CommandOutcome {
    /// `output` as the lines a session file compares against.
    /// An empty output is no lines at all (most commands that succeed print nothing), and one trailing
    /// "\n" ends the last line rather than starting an empty one, so "a\n" and "a" are both `["a"]`
    /// while "\n" is one empty line.
    public var outputLines: [String] {
        if output.isEmpty { return [] }
        let body = output.hasSuffix("\n") ? output.dropLast() : Substring(output)
        return body.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }
}
