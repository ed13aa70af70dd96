import CShims

/// What Tab does with the word before the cursor, given the completer's candidates. Pure, so the rules
/// (unique → rest + space, several → longest common prefix, no progress → list) are testable alone.
public enum CompletionPlan: Equatable, Sendable {
    /// Insert this text at the cursor.
    case insert(String)
    /// Show these candidates below the line (sorted, without duplicates) and redraw.
    case list([String])
    /// Nothing matches: beep.
    case none

    /// - Parameters:
    ///   - word: the text between the last whitespace before the cursor and the cursor.
    ///   - candidates: full words offered by the completer; those not starting with `word` are ignored.
    ///   - spaceAfterUnique: whether a unique completion ends with a space (not when one already follows).
    public static func make(word: String, candidates: [String], spaceAfterUnique: Bool = true) -> CompletionPlan {
        var seen = Set<String>()
        let matches = candidates.filter { $0.hasPrefix(word) && seen.insert($0).inserted }
        guard let first = matches.first else { return .none }
        if matches.count == 1 {
            return .insert(String(first.dropFirst(word.count)) + (spaceAfterUnique ? " " : ""))
        }
        let common = matches.dropFirst().reduce(Substring(first)) { prefix, candidate in
            Substring(zip(prefix, candidate).prefix { $0 == $1 }.map(\.0))
        }
        if common.count > word.count {
            return .insert(String(common.dropFirst(word.count)))
        }
        return .list(matches.sorted())
    }
}

/// Lays out completion candidates in columns, filled top to bottom then left to right (as `ls` does).
public enum CompletionColumns {
    /// The rows of the listing, without trailing spaces, for a terminal `width` cells wide.
    public static func rows(_ items: [String], width: Int) -> [String] {
        guard !items.isEmpty else { return [] }
        let widths = items.map(displayWidth)
        let cellWidth = (widths.max() ?? 0) + 2
        let columns = max(1, width / cellWidth)
        let rowCount = (items.count + columns - 1) / columns
        return (0..<rowCount).map { row in
            var line = ""
            for column in 0..<columns {
                let index = column * rowCount + row
                guard index < items.count else { break }
                let item = items[index]
                let isLast = (column + 1) * rowCount + row >= items.count
                line += isLast ? item : item + String(repeating: " ", count: cellWidth - widths[index])
            }
            return line
        }
    }

    /// Terminal cells `text` takes (wcwidth per scalar, once LineEditor has made the locale UTF-8).
    public static func displayWidth(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { $0 + Int(gwsh_display_width($1.value)) }
    }
}
