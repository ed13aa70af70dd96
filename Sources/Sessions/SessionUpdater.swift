import Foundation

/// `gwsh test --update`: rewrites commands' expected output from their actual output.
///
/// Only the expected-output lines of the given commands change; prompts, comments, separators and every
/// other byte of the file stay as they were. For each command:
///
/// - If the old expected lines still match the actual output, they are kept unchanged.
/// - Otherwise the new lines are read off `OutputAlignment`: literal and ` (re)` lines that match an
///   actual line in order are kept (so a pattern stays a pattern), each `...` keeps standing for the lines
///   it hid, and everything else becomes the actual lines.
/// - An actual line that would not read back as the same literal expectation — `...`, a line ending in
///   ` (re)`, a prompt or continuation line, a `#` line right after a blank line (it could start a comment
///   block), or a blank line at the end of the file (trailing blank lines are ignored) — is written as an
///   escaped ` (re)` line instead, so the rewritten file parses to exactly what was printed.
enum SessionUpdater {
    /// The file's text with the expected output of each listed command replaced.
    static func rewrite(text: String, outputs: [(command: SessionCommand, actual: [String])]) -> String {
        var lines = SessionSyntax.lines(of: text)
        // From the bottom up, so earlier commands' line numbers stay valid while later ones change size.
        for (command, actual) in outputs.sorted(by: { $0.command.line > $1.command.line }) {
            let start = command.expectedOutputLine - 1
            let end = start + command.expected.count
            let atEndOfFile = lines[end...].allSatisfy(SessionSyntax.isBlank)
            lines.replaceSubrange(
                start..<end, with: expectedSource(old: command.expected, actual: actual, atEndOfFile: atEndOfFile))
        }
        return lines.joined(separator: "\n")
    }

    /// The lines to write as a command's expected output. `atEndOfFile`: nothing but blank lines follows.
    static func expectedSource(old: [ExpectedLine], actual: [String], atEndOfFile: Bool) -> [String] {
        let matcher = OutputMatcher(expected: old)
        if matcher.matches(actual) { return old.map(\.source) }

        var planned: [Planned] = []
        for line in OutputAlignment.align(matcher, actual: actual) {
            switch line {
            case .kept(.literal(let text), _), .added(let text): planned.append(.literal(text))
            case .kept(let expected, _): planned.append(.verbatim(expected.source))
            case .anyLines: planned.append(.verbatim(ExpectedLine.anyLines.source))
            case .removed: break
            }
        }

        var written: [String] = []
        for (index, line) in planned.enumerated() {
            let afterBlank = written.last.map(SessionSyntax.isBlank) ?? false
            switch line {
            case .verbatim(let source):
                // A kept pattern starting with `#` could now follow a blank line; `[#]` means the same.
                if afterBlank, SessionSyntax.isComment(source) {
                    written.append("[#]" + source.dropFirst())
                } else {
                    written.append(source)
                }
            case .literal(let text):
                let trailingBlank = atEndOfFile && planned[index...].allSatisfy { $0 == .literal("") }
                let readsBack =
                    ExpectedLine(source: text) == .literal(text)
                    && SessionSyntax.promptText(text) == nil
                    && SessionSyntax.continuationText(text) == nil
                    && !(afterBlank && SessionSyntax.isComment(text))
                    && !trailingBlank
                written.append(readsBack ? text : escapedPattern(text))
            }
        }
        return written
    }

    /// A ` (re)` line matching exactly `text`: regex metacharacters are escaped, and a leading `#` or
    /// `gwsh>` is put in a character class so the line itself does not read as a comment or a prompt.
    static func escapedPattern(_ text: String) -> String {
        if text.isEmpty { return "^$" + SessionSyntax.regexSuffix }
        var pattern = ""
        for character in text {
            if regexMetacharacters.contains(character) { pattern.append("\\") }
            pattern.append(character)
        }
        if let first = pattern.first, SessionSyntax.isComment(pattern) || SessionSyntax.promptText(pattern) != nil {
            pattern = "[\(first)]" + pattern.dropFirst()
        }
        return pattern + SessionSyntax.regexSuffix
    }

    private static let regexMetacharacters: Set<Character> = [
        "\\", "^", "$", ".", "|", "?", "*", "+", "(", ")", "[", "]", "{", "}",
    ]

    private enum Planned: Equatable {
        /// A kept ` (re)` or `...` line, written as it was.
        case verbatim(String)
        /// Text the output must contain exactly; written as is when it reads back as itself.
        case literal(String)
    }
}
