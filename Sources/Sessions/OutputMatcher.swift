import Foundation

/// Checks a command's actual output lines against its expected lines.
///
/// Literal lines compare exactly, ` (re)` lines are whole-line Swift `Regex` matches, and `...` matches
/// zero or more lines. `...` may appear any number of times, so matching has to consider every way of
/// splitting the output between them; a table over (expected line, actual line) positions does that in
/// O(expected × actual) steps where naive backtracking could take exponential time.
public struct OutputMatcher {
    public let expected: [ExpectedLine]
    /// Compiled once per matcher, because every pattern may be tried against many lines.
    private let regexes: [Regex<AnyRegexOutput>?]

    public init(expected: [ExpectedLine]) {
        self.expected = expected
        regexes = expected.map { line in
            // The parser rejects invalid patterns; one built by hand that does not compile matches nothing.
            if case .pattern(let source) = line { try? Regex(source) } else { nil }
        }
    }

    /// Whether `actual` is exactly what the expected lines describe.
    public func matches(_ actual: [String]) -> Bool {
        let count = actual.count
        // `rest[j]`: do the expected lines after the current one match `actual[j...]`? Computed from the last
        // expected line backwards, starting with "no expected lines match only the empty remainder".
        var rest = [Bool](repeating: false, count: count + 1)
        rest[count] = true
        for index in expected.indices.reversed() {
            var current = [Bool](repeating: false, count: count + 1)
            for position in stride(from: count, through: 0, by: -1) {
                if expected[index] == .anyLines {
                    // Either `...` stands for no more lines, or it swallows this one and keeps going.
                    current[position] = rest[position] || (position < count && current[position + 1])
                } else {
                    current[position] =
                        position < count && rest[position + 1]
                        && lineMatches(index, actual[position])
                }
            }
            rest = current
        }
        return rest[0]
    }

    /// Whether the single-line expectation at `index` matches `line`; `...` matches no single line here.
    func lineMatches(_ index: Int, _ line: String) -> Bool {
        switch expected[index] {
        case .literal(let text): text == line
        case .pattern: (try? regexes[index]?.wholeMatch(in: line)) != nil
        case .anyLines: false
        }
    }
}
