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

    /// Terminal cells `text` takes: 2 for East Asian wide and fullwidth characters and emoji, 0 for
    /// combining marks and zero-width format characters, 1 otherwise. Independent of the locale.
    public static func displayWidth(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { $0 + cells($1) }
    }

    private static func cells(_ scalar: Unicode.Scalar) -> Int {
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        if scalar.properties.isEmojiPresentation { return 2 }
        switch scalar.value {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
            0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
            0xFFE0...0xFFE6, 0x20000...0x3FFFD:
            return 2
        default:
            return 1
        }
    }
}
