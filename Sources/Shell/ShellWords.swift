/// Splits a command line into words like a POSIX shell does for the simple cases users type:
/// whitespace separates, 'single quotes' keep everything, "double quotes" allow \" and \\ escapes,
/// a backslash outside quotes escapes the next character.
enum ShellWords {
    struct SplitError: Error { var message: String }

    /// The first word of `s` (which starts at a non-blank) and the text after it, quoting as in `split`.
    static func firstWord(_ s: Substring) throws(SplitError) -> (word: String, rest: Substring) {
        var i = s.startIndex
        var quote: Character?
        while i < s.endIndex {
            let c = s[i]
            if let q = quote {
                if c == "\\", q == "\"", s.index(after: i) < s.endIndex { i = s.index(after: i) } else if c == q { quote = nil }
            } else if c == "'" || c == "\"" {
                quote = c
            } else if c == "\\" {
                if s.index(after: i) < s.endIndex { i = s.index(after: i) }
            } else if c == " " || c == "\t" || c == "\n" {
                break
            }
            i = s.index(after: i)
        }
        let words = try split(String(s[..<i]))
        return (words.first ?? "", s[i...])
    }

    static func split(_ line: String) throws(SplitError) -> [String] {
        var words: [String] = []
        var cur = ""
        var inWord = false
        var i = line.startIndex
        while i < line.endIndex {
            let c = line[i]
            switch c {
            case " ", "\t", "\n", "\r", "\r\n":
                if inWord { words.append(cur); cur = ""; inWord = false }
            case "'":
                inWord = true
                guard let close = line[line.index(after: i)...].firstIndex(of: "'") else { throw SplitError(message: "unterminated single quote") }
                cur += line[line.index(after: i)..<close]
                i = close
            case "\"":
                inWord = true
                var j = line.index(after: i)
                var closed = false
                while j < line.endIndex {
                    let d = line[j]
                    if d == "\\", line.index(after: j) < line.endIndex, ["\"", "\\", "$", "`"].contains(line[line.index(after: j)]) {
                        j = line.index(after: j)
                        cur.append(line[j])
                    } else if d == "\"" {
                        closed = true
                        break
                    } else {
                        cur.append(d)
                    }
                    j = line.index(after: j)
                }
                guard closed else { throw SplitError(message: "unterminated double quote") }
                i = j
            case "\\":
                inWord = true
                let n = line.index(after: i)
                if n < line.endIndex { cur.append(line[n]); i = n }
            default:
                inWord = true
                cur.append(c)
            }
            i = line.index(after: i)
        }
        if inWord { words.append(cur) }
        return words
    }
}
