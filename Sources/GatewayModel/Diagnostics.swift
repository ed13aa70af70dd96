/// Where something came from in a model (or session, or template) file.
public struct SourceLocation: Sendable, Equatable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// A location for values that have no position (models built from JSON cases, the embedded model's defaults).
    public static func unknown(_ file: String) -> SourceLocation { SourceLocation(file: file, line: 0, column: 0) }

    public var description: String { line > 0 ? "\(file):\(line):\(column)" : file }
}

/// A model that could not be loaded: where, what was expected, and how to fix it.
public struct ModelError: Error, Sendable, Equatable, CustomStringConvertible {
    public var location: SourceLocation
    public var message: String
    public var hint: String?

    public init(_ location: SourceLocation, _ message: String, hint: String? = nil) {
        self.location = location
        self.message = message
        self.hint = hint
    }

    public var description: String {
        var s = "\(location): \(message)"
        if let hint { s += "\n  hint: \(hint)" }
        return s
    }
}

/// A model setting that AWS has and gwsh reads but does not simulate yet. Shown by `load` and in traces,
/// never an error (MODEL.md, loading rules).
public struct ModelNote: Sendable, Equatable, CustomStringConvertible {
    public var location: SourceLocation
    public var path: String
    public var message: String

    public var description: String { "\(location): \(path): \(message)" }
}

/// "Did you mean …?" for model keys and shell commands.
public enum Suggest {
    /// The closest candidate by edit distance, if it is close enough to be a plausible typo.
    public static func closest(to word: String, in candidates: [String]) -> String? {
        let w = word.lowercased()
        var best: (String, Int)?
        for c in candidates {
            let d = distance(w, c.lowercased())
            if best == nil || d < best!.1 { best = (c, d) }
        }
        guard let (c, d) = best else { return nil }
        return d <= max(2, w.count / 3) ? c : nil
    }

    public static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var prev = Array(0...b.count)
        var cur = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            cur[0] = i
            for j in 1...b.count {
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&prev, &cur)
        }
        return prev[b.count]
    }
}
