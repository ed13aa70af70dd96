import CEditLine
import CShims
import Foundation

/// The outcome of asking for a line of input.
public enum LineRead: Equatable, Sendable {
    /// A line, without its line terminator. Multi-line input is joined with "\n".
    case line(String)
    /// Ctrl-C at the prompt: the typed text was discarded. Ask again.
    case interrupted
    /// Ctrl-D on an empty line, or the end of piped input.
    case endOfInput
}

/// Something the REPL can read lines from: the interactive `LineEditor` or the `PlainLineReader`.
public protocol LineReader: AnyObject {
    /// Reads one line, showing `prompt` if the reader shows prompts at all.
    func readLine(prompt: String) -> LineRead
}

extension LineReader {
    /// Reads a first line with `prompt`, then continuation lines with `continuationPrompt` until
    /// `isComplete` accepts the text so far (lines joined with "\n"). Ctrl-C discards everything typed.
    /// End of input after the first line hands over the incomplete text, so the caller can report it
    /// (the next read then returns `.endOfInput` again when the input has really ended).
    public func readLine(prompt: String, continuationPrompt: String, isComplete: (String) -> Bool) -> LineRead {
        let first = readLine(prompt: prompt)
        guard case .line(var text) = first else { return first }
        while !isComplete(text) {
            switch readLine(prompt: continuationPrompt) {
            case .line(let next): text += "\n" + next
            case .interrupted: return .interrupted
            case .endOfInput: return .line(text)
            }
        }
        return .line(text)
    }
}

/// Interactive line editing on a terminal, over libedit: Emacs key bindings, history (Up/Down, Ctrl-R)
/// kept in a file, Tab completion, Ctrl-C to discard the line, Ctrl-D on an empty line to end.
///
/// Use only when standard input is a terminal; `REPLLoop` picks `PlainLineReader` otherwise.
/// A prompt may contain terminal escape sequences (colour) if each is enclosed in "\u{1}" … "\u{1}",
/// so that libedit does not count them as printed characters.
public final class LineEditor: LineReader {
    /// Most entries the history keeps (H_SETSIZE).
    public static let historySize = 1000

    private var editLine: OpaquePointer?
    private let history: OpaquePointer?
    private let historyPath: String?
    private let completer: (_ line: String, _ cursor: Int) -> [String]

    /// - Parameters:
    ///   - programName: the name libedit uses to pick settings (EL_EDITOR defaults, ~/.editrc sections).
    ///   - historyFile: loaded now and rewritten after every entered line; I/O errors are ignored.
    ///     `nil` keeps the history in memory only.
    ///   - completer: given the whole current line and the cursor offset in it (in Characters), returns
    ///     the candidate full words for the word before the cursor.
    /// Returns `nil` when libedit cannot be initialised (out of memory).
    public init?(
        programName: String,
        historyFile: URL?,
        completer: @escaping (_ line: String, _ cursor: Int) -> [String]
    ) {
        self.completer = completer
        historyPath = historyFile?.path
        history = gwsh_history_open(Int32(Self.historySize))
        _ = gwsh_edit_use_utf8_locale()
        // The editor holds an unretained reference back to `self` for the Tab command.
        guard let editLine = gwsh_edit_open(programName, Unmanaged.passUnretained(self).toOpaque()) else {
            return nil
        }
        self.editLine = editLine
        configure(editLine)
    }

    deinit {
        if let editLine { gwsh_edit_close(editLine) }
        if let history { gwsh_history_close(history) }
    }

    private func configure(_ editLine: OpaquePointer) {
        if let history {
            if let historyPath { _ = gwsh_history_load(history, historyPath) }
            gwsh_edit_use_history(editLine, history)
        }
        _ = gwsh_edit_add_function(editLine, "gwsh-complete", "Complete the word before the cursor") { editLine, _ in
            guard let editLine, let owner = gwsh_edit_owner(editLine) else { return UInt8(CC_ERROR) }
            return Unmanaged<LineEditor>.fromOpaque(owner).takeUnretainedValue().complete(editLine)
        }
        _ = gwsh_edit_bind(editLine, "^I", "gwsh-complete")
        // Incremental reverse search, when this libedit has it (its default ^R only redraws).
        if gwsh_edit_bind(editLine, "^R", "em-inc-search-prev") != 0 {
            _ = gwsh_edit_bind(editLine, "^R", "ed-search-prev-history")
        }
    }

    /// Reads one line with `prompt`. A non-blank line is added to the history (unless it repeats the
    /// previous entry) and the history file is rewritten. Ctrl-C prints "^C" after the input, discards it,
    /// and returns `.interrupted`.
    public func readLine(prompt: String) -> LineRead {
        guard let editLine else { return .endOfInput }
        gwsh_clear_interrupt()
        _ = gwsh_edit_set_prompt(editLine, prompt)
        var count: Int32 = 0
        var interrupted: Int32 = 0
        guard let raw = gwsh_edit_gets(editLine, &count, &interrupted) else {
            if interrupted != 0 {
                gwsh_edit_write(editLine, "^C\n")
                return .interrupted
            }
            return .endOfInput
        }
        var line = String(cString: raw)
        while line.hasSuffix("\n") || line.hasSuffix("\r") { line.removeLast() }
        remember(line)
        return .line(line)
    }

    /// Trailing whitespace (often left by Tab completion) is not kept, so "help" and "help " are one entry.
    private func remember(_ line: String) {
        guard let history else { return }
        let entry = String(line.reversed().drop { $0.isWhitespace }.reversed())
        guard !entry.isEmpty else { return }
        _ = gwsh_history_enter(history, entry)
        if let historyPath { _ = gwsh_history_save(history, historyPath) }
    }

    // MARK: Tab completion (EL_ADDFN "gwsh-complete", bound to ^I)

    private func complete(_ editLine: OpaquePointer) -> UInt8 {
        guard let info = el_line(editLine)?.pointee else { return UInt8(CC_ERROR) }
        let before = Self.text(from: info.buffer, to: info.cursor)
        let after = Self.text(from: info.cursor, to: info.lastchar)
        let word = String(before.reversed().prefix { !$0.isWhitespace }.reversed())
        let candidates = completer(before + after, before.count)
        let spaceFollows = after.first?.isWhitespace ?? false
        switch CompletionPlan.make(word: word, candidates: candidates, spaceAfterUnique: !spaceFollows) {
        case .none:
            return UInt8(CC_REFRESH_BEEP)
        case .insert(let text):
            guard !text.isEmpty else { return UInt8(CC_NORM) }
            return el_insertstr(editLine, text) == 0 ? UInt8(CC_REFRESH) : UInt8(CC_ERROR)
        case .list(let matches):
            let width = Int(gwsh_edit_terminal_columns(editLine))
            let rows = CompletionColumns.rows(matches, width: width)
            gwsh_edit_write(editLine, "\r\n" + rows.map { $0 + "\r\n" }.joined())
            return UInt8(CC_REDISPLAY)
        }
    }

    /// The bytes between two pointers into libedit's line buffer, decoded as UTF-8 (invalid bytes
    /// become U+FFFD).
    private static func text(from start: UnsafePointer<CChar>?, to end: UnsafePointer<CChar>?) -> String {
        guard let start, let end, end > start else { return "" }
        let bytes = UnsafeBufferPointer(start: start, count: end - start)
        return String(decoding: bytes.lazy.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
