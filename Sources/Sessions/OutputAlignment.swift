import Foundation

/// How a command's expected lines line up with its actual output when they do not match.
/// Both the failure diff and `--update` are read off this one alignment, so what a diff shows as
/// unchanged is exactly what `--update` keeps.
enum AlignedLine: Equatable {
    /// A literal or ` (re)` expected line that matches the actual line.
    case kept(ExpectedLine, actual: String)
    /// A `...` line and the actual lines it stands for.
    case anyLines(absorbed: [String])
    /// An expected line with no counterpart in the output.
    case removed(ExpectedLine)
    /// An actual line no expected line accounts for.
    case added(String)

    var isChange: Bool {
        switch self {
        case .kept, .anyLines: false
        case .removed, .added: true
        }
    }
}

enum OutputAlignment {
    /// Aligns expected and actual lines in two steps:
    ///
    /// 1. Anchors: the longest common subsequence of single-line expectations (literal or ` (re)`) and
    ///    the actual lines they match, so every matching line stays where it is.
    /// 2. Gaps between anchors: without a `...`, the gap's expected lines are removed and its actual lines
    ///    added, as in any diff. With a `...`, the gap keeps one `...`: expected lines before it are replaced
    ///    by as many actual lines from the front of the gap, those after it by as many from the back, and
    ///    the `...` stands for whatever is left in the middle. So a changed line next to a `...` shows up as
    ///    a change instead of being swallowed, and lines the `...` hid stay hidden.
    static func align(_ matcher: OutputMatcher, actual: [String]) -> [AlignedLine] {
        let expected = matcher.expected
        let anchors = commonSubsequence(matcher, actual: actual)
        var result: [AlignedLine] = []
        var expectedStart = 0
        var actualStart = 0
        for (expectedIndex, actualIndex) in anchors + [(expected.count, actual.count)] {
            result += alignGap(
                expected: expected[expectedStart..<expectedIndex], actual: actual[actualStart..<actualIndex])
            if expectedIndex < expected.count {
                result.append(.kept(expected[expectedIndex], actual: actual[actualIndex]))
            }
            expectedStart = expectedIndex + 1
            actualStart = actualIndex + 1
        }
        return result
    }

    /// Index pairs (expected, actual) of a longest common subsequence, where "common" means the expected
    /// single-line expectation matches the actual line. Ties prefer pairing lines as early as possible.
    private static func commonSubsequence(_ matcher: OutputMatcher, actual: [String]) -> [(Int, Int)] {
        let rows = matcher.expected.count
        let columns = actual.count
        let matches = (0..<rows).map { row in (0..<columns).map { matcher.lineMatches(row, actual[$0]) } }
        // length[row][column]: LCS length of expected[row...] and actual[column...].
        var length = [[Int]](repeating: [Int](repeating: 0, count: columns + 1), count: rows + 1)
        for row in stride(from: rows - 1, through: 0, by: -1) {
            for column in stride(from: columns - 1, through: 0, by: -1) {
                length[row][column] =
                    matches[row][column]
                    ? length[row + 1][column + 1] + 1
                    : max(length[row + 1][column], length[row][column + 1])
            }
        }
        var pairs: [(Int, Int)] = []
        var row = 0
        var column = 0
        while row < rows, column < columns {
            if matches[row][column], length[row][column] == length[row + 1][column + 1] + 1 {
                pairs.append((row, column))
                row += 1
                column += 1
            } else if length[row + 1][column] >= length[row][column + 1] {
                row += 1
            } else {
                column += 1
            }
        }
        return pairs
    }

    private static func alignGap(expected: ArraySlice<ExpectedLine>, actual: ArraySlice<String>) -> [AlignedLine] {
        guard let firstAny = expected.firstIndex(of: .anyLines), let lastAny = expected.lastIndex(of: .anyLines)
        else {
            return expected.map(AlignedLine.removed) + actual.map(AlignedLine.added)
        }
        let before = expected[..<firstAny]
        let between = firstAny < lastAny ? expected[(firstAny + 1)..<lastAny] : []
        let after = expected[(lastAny + 1)...]
        let frontCount = min(before.count, actual.count)
        let backCount = min(after.count, actual.count - frontCount)
        let front = actual.prefix(frontCount)
        let back = actual.suffix(backCount)
        let middle = actual.dropFirst(frontCount).dropLast(backCount)
        return before.map(AlignedLine.removed) + front.map(AlignedLine.added)
            + [.anyLines(absorbed: Array(middle))]
            + between.map(AlignedLine.removed)
            + after.map(AlignedLine.removed) + back.map(AlignedLine.added)
    }
}
