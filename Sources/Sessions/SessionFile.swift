import Foundation

/// A parsed session file (`*.gwsh`): a REPL transcript that `gwsh test` replays and checks.
///
///     # A comment block, shown by `gwsh run --echo`.
///     gwsh> send POST /dev/status -d '{"error":"sample 400"}'
///     400 Bad Request
///     ...
///
/// The grammar is in docs/SESSIONS.md; `SessionParser` implements it.
public struct SessionFile: Sendable, Equatable {
    /// The path the file was read from, as given; used in messages only.
    public let path: String
    /// Comment blocks and commands in file order.
    public let items: [SessionItem]

    public init(path: String, items: [SessionItem]) {
        self.path = path
        self.items = items
    }

    /// The commands in file order, without the comments.
    public var commands: [SessionCommand] {
        items.compactMap { item in
            if case .command(let command) = item { command } else { nil }
        }
    }
}

/// One part of a session file.
public enum SessionItem: Sendable, Equatable {
    case comment(SessionComment)
    case command(SessionCommand)
}

/// A block of `#` lines: narration for readers, ignored by the checker.
public struct SessionComment: Sendable, Equatable {
    /// The 1-based line number of the first `#` line.
    public let line: Int
    /// The lines as written, each starting with `#`.
    public let lines: [String]

    public init(line: Int, lines: [String]) {
        self.line = line
        self.lines = lines
    }

    /// The lines as written, joined with "\n"; what `gwsh run --echo` shows.
    public var text: String { lines.joined(separator: "\n") }
}

/// A command (a prompt line and its continuation lines) and the output it is expected to print.
public struct SessionCommand: Sendable, Equatable {
    /// The command: the prompt line's text and each continuation line's text, joined with "\n".
    public let text: String
    /// The 1-based line number of the prompt line.
    public let line: Int
    /// How many lines the command occupies: the prompt line plus its continuation lines.
    public let inputLineCount: Int
    /// The expected output, one entry per line of the file.
    public let expected: [ExpectedLine]

    public init(text: String, line: Int, inputLineCount: Int, expected: [ExpectedLine]) {
        self.text = text
        self.line = line
        self.inputLineCount = inputLineCount
        self.expected = expected
    }

    /// The 1-based line number where the expected output starts (or would start, when there is none).
    public var expectedOutputLine: Int { line + inputLineCount }

    /// Whether this is an `expect` command, whose expected output `--update` never rewrites:
    /// baking a failed expectation's message into the file would turn the failure into a pass.
    public var isExpect: Bool {
        text.split(whereSeparator: \.isWhitespace).first == "expect"
    }

    /// The command as it appears in the file, with its prompt and continuation markers.
    public var transcript: [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().map { index, part in
            index == 0 ? SessionSyntax.prompt + part : SessionSyntax.continuation + part
        }
    }
}

/// One line of expected output.
public enum ExpectedLine: Sendable, Equatable {
    /// Compared exactly.
    case literal(String)
    /// `...`: matches zero or more lines.
    case anyLines
    /// A line ending in ` (re)`: the Swift `Regex` (the text before the marker) must match the whole line.
    case pattern(String)

    /// Classifies a line of a session file.
    public init(source: String) {
        if source == SessionSyntax.anyLines {
            self = .anyLines
        } else if source.hasSuffix(SessionSyntax.regexSuffix) {
            self = .pattern(String(source.dropLast(SessionSyntax.regexSuffix.count)))
        } else {
            self = .literal(source)
        }
    }

    /// The line as written in the file; `ExpectedLine(source:)` reads it back to the same value.
    public var source: String {
        switch self {
        case .literal(let text): text
        case .anyLines: SessionSyntax.anyLines
        case .pattern(let regex): regex + SessionSyntax.regexSuffix
        }
    }
}

/// The fixed markers of the session-file grammar, and how a single line reads.
enum SessionSyntax {
    static let prompt = "gwsh> "
    static let continuation = "...> "
    static let anyLines = "..."
    static let regexSuffix = " (re)"
    static let commentMarker = "#"

    /// The command text of a prompt line, or nil. A bare `gwsh>` is an empty command.
    static func promptText(_ line: String) -> String? {
        markerText(line, marker: prompt)
    }

    /// The text of a continuation line, or nil. A bare `...>` is an empty continuation line.
    static func continuationText(_ line: String) -> String? {
        markerText(line, marker: continuation)
    }

    static func isComment(_ line: String) -> Bool { line.hasPrefix(commentMarker) }

    /// Only an empty line counts as blank: whitespace is output like any other text.
    static func isBlank(_ line: String) -> Bool { line.isEmpty }

    private static func markerText(_ line: String, marker: String) -> String? {
        if line.hasPrefix(marker) { return String(line.dropFirst(marker.count)) }
        if line == marker.dropLast() { return "" }
        return nil
    }

    /// Splits a file into lines exactly at "\n", so joining them with "\n" gives the text back byte for byte.
    /// A final "\n" yields a last empty line, which the grammar treats as a trailing blank line.
    static func lines(of text: String) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }
}
