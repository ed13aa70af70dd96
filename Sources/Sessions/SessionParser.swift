import Foundation

extension SessionFile {
    /// Parses the text of a session file; `path` is used in error messages only.
    public static func parse(text: String, path: String) throws(SessionParseError) -> SessionFile {
        try SessionParser(lines: SessionSyntax.lines(of: text), path: path).parse()
    }
}

/// The grammar of docs/SESSIONS.md:
///
/// - A prompt line starts with `gwsh> ` (a bare `gwsh>` is an empty command); continuation lines
///   (`...> `) directly after it extend the command.
/// - Everything after a command up to the next prompt line is its expected output, except a comment
///   block: `#` lines that directly precede a prompt line and follow a blank line. That blank line is a
///   separator, not output. Blank lines at the end of the file are not output either.
/// - Lines before the first prompt are a header: comments and blank lines only.
struct SessionParser {
    let lines: [String]
    let path: String

    func parse() throws(SessionParseError) -> SessionFile {
        let prompts = lines.indices.filter { SessionSyntax.promptText(lines[$0]) != nil }
        var items = try header(upTo: prompts.first ?? lines.count, fileHasPrompts: !prompts.isEmpty)
        for (position, start) in prompts.enumerated() {
            let next = position + 1 < prompts.count ? prompts[position + 1] : nil
            items += try commandBlock(from: start, upTo: next)
        }
        return SessionFile(path: path, items: items)
    }

    /// The lines before the first prompt. Text there could only be output of no command, which is
    /// almost certainly a mistake (a missing prompt or a missing `#`), so it is an error.
    private func header(upTo end: Int, fileHasPrompts: Bool) throws(SessionParseError) -> [SessionItem] {
        var items: [SessionItem] = []
        var index = 0
        while index < end {
            let line = lines[index]
            if SessionSyntax.isBlank(line) {
                index += 1
            } else if SessionSyntax.isComment(line) {
                let start = index
                while index < end, SessionSyntax.isComment(lines[index]) { index += 1 }
                items.append(.comment(SessionComment(line: start + 1, lines: Array(lines[start..<index]))))
            } else if SessionSyntax.continuationText(line) != nil {
                throw orphanContinuation(at: index)
            } else {
                throw textBeforeFirstPrompt(line, at: index, fileHasPrompts: fileHasPrompts)
            }
        }
        return items
    }

    /// A prompt line, its continuation lines, its expected output, and the comment block before the
    /// next prompt (if any).
    private func commandBlock(from start: Int, upTo nextPrompt: Int?) throws(SessionParseError) -> [SessionItem] {
        var parts = [SessionSyntax.promptText(lines[start]) ?? ""]
        var index = start + 1
        let end = nextPrompt ?? lines.count
        while index < end, let text = SessionSyntax.continuationText(lines[index]) {
            parts.append(text)
            index += 1
        }
        let outputStart = index

        var outputEnd = end
        var comment: SessionComment?
        if nextPrompt != nil {
            // The comment block is the run of `#` lines right before the next prompt, and only counts
            // when a blank line comes before it (the command line itself is never blank).
            var commentStart = end
            while commentStart > outputStart, SessionSyntax.isComment(lines[commentStart - 1]) { commentStart -= 1 }
            if commentStart < end, commentStart > outputStart, SessionSyntax.isBlank(lines[commentStart - 1]) {
                comment = SessionComment(line: commentStart + 1, lines: Array(lines[commentStart..<end]))
                outputEnd = commentStart - 1
            }
        } else {
            while outputEnd > outputStart, SessionSyntax.isBlank(lines[outputEnd - 1]) { outputEnd -= 1 }
        }

        var expected: [ExpectedLine] = []
        for lineIndex in outputStart..<outputEnd {
            let line = lines[lineIndex]
            if SessionSyntax.continuationText(line) != nil { throw orphanContinuation(at: lineIndex) }
            let expectation = ExpectedLine(source: line)
            if case .pattern(let source) = expectation { try validate(regex: source, at: lineIndex) }
            expected.append(expectation)
        }

        let command = SessionCommand(
            text: parts.joined(separator: "\n"), line: start + 1,
            inputLineCount: outputStart - start, expected: expected)
        return [.command(command)] + (comment.map { [.comment($0)] } ?? [])
    }

    private func validate(regex source: String, at index: Int) throws(SessionParseError) {
        do {
            _ = try Regex(source)
        } catch {
            throw SessionParseError(
                path: path, line: index + 1,
                message: "invalid regular expression '\(source)': \(error)",
                hint: "a line ending in ' (re)' is a Swift Regex for the whole line; "
                    + "to expect such a line literally, escape it, e.g. 'done \\(re\\) (re)'")
        }
    }

    private func orphanContinuation(at index: Int) -> SessionParseError {
        SessionParseError(
            path: path, line: index + 1,
            message: "continuation line '\(SessionSyntax.continuation.dropLast())' does not follow a prompt line",
            hint: "continuation lines must come right after a '\(SessionSyntax.prompt)' line or another "
                + "continuation line; if this is expected output, write it as a ' (re)' line, e.g. '\\.\\.\\.> text (re)'"
        )
    }

    private func textBeforeFirstPrompt(_ line: String, at index: Int, fileHasPrompts: Bool) -> SessionParseError {
        let hint: String
        if line.hasPrefix(SessionSyntax.prompt.dropLast()) {
            hint = "a prompt line is '\(SessionSyntax.prompt)' followed by the command, with a space after '>'"
        } else if fileHasPrompts {
            hint = "only comments ('#') and blank lines may come before the first '\(SessionSyntax.prompt)' line"
        } else {
            hint =
                "this file has no '\(SessionSyntax.prompt)' lines; 'gwsh run' runs such a file as a plain "
                + "script, but 'gwsh test' needs prompt lines to know what is a command and what is output"
        }
        return SessionParseError(
            path: path, line: index + 1, message: "text before the first prompt line", hint: hint)
    }
}
