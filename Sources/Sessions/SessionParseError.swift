import Foundation

/// Why a session file could not be read as a session, with where and what to do about it.
public struct SessionParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public let path: String
    /// 1-based.
    public let line: Int
    /// 1-based.
    public let column: Int
    public let message: String
    /// How to fix it, when there is a likely fix.
    public let hint: String?

    public init(path: String, line: Int, column: Int = 1, message: String, hint: String? = nil) {
        self.path = path
        self.line = line
        self.column = column
        self.message = message
        self.hint = hint
    }

    /// `path:line:column: error: message`, then `  hint: …` on a second line, as compilers print them.
    public var description: String {
        let location = "\(path):\(line):\(column): error: \(message)"
        guard let hint else { return location }
        return location + "\n  hint: " + hint
    }
}
