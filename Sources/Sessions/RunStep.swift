import Foundation

/// One step of `gwsh run FILE`: a command to execute, or a comment to show with `--echo`.
public enum RunStep: Sendable, Equatable {
    /// Comment lines as written (with their `#`), joined with "\n".
    case comment(String, line: Int)
    /// A command (continuation lines joined with "\n") and the 1-based line it starts on.
    case command(String, line: Int)
}

extension SessionFile {
    /// The commands of the prompt lines in order; with `echo`, the comment blocks between them too.
    /// Expected output is not part of a run.
    public func commandsForRun(echo: Bool) -> [RunStep] {
        items.compactMap { item in
            switch item {
            case .command(let command): .command(command.text, line: command.line)
            case .comment(let comment): echo ? .comment(comment.text, line: comment.line) : nil
            }
        }
    }

    /// What `gwsh run` executes for a file's text: a session file (one with prompt lines) runs its
    /// commands; any other file is a plain script where every non-blank, non-`#` line is a command.
    public static func scriptCommands(text: String, path: String, echo: Bool = false) throws(SessionParseError)
        -> [RunStep]
    {
        let lines = SessionSyntax.lines(of: text)
        if lines.contains(where: { SessionSyntax.promptText($0) != nil }) {
            return try parse(text: text, path: path).commandsForRun(echo: echo)
        }
        var steps: [RunStep] = []
        var index = 0
        while index < lines.count {
            let line = lines[index]
            if SessionSyntax.isComment(line) {
                let start = index
                while index < lines.count, SessionSyntax.isComment(lines[index]) { index += 1 }
                if echo { steps.append(.comment(lines[start..<index].joined(separator: "\n"), line: start + 1)) }
                continue
            }
            if !line.trimmingCharacters(in: .whitespaces).isEmpty { steps.append(.command(line, line: index + 1)) }
            index += 1
        }
        return steps
    }
}
