import Foundation

/// Renders an alignment as a unified-diff-like block: ` ` unchanged, `-` expected only, `+` actual only.
/// Lines are shown as written in the session file on the expected side (a ` (re)` line shows its
/// pattern), and long unchanged stretches are collapsed so a one-line change in a long output stays
/// readable.
enum OutputDiff {
    /// Unchanged lines shown on each side of a change, as `diff -u` does.
    static let context = 3

    static func lines(_ alignment: [AlignedLine]) -> [String] {
        var distanceToChange = [Int](repeating: Int.max, count: alignment.count)
        var last = Int.min / 2
        for index in alignment.indices {
            if alignment[index].isChange { last = index }
            distanceToChange[index] = index - last
        }
        last = Int.max / 2
        for index in alignment.indices.reversed() {
            if alignment[index].isChange { last = index }
            distanceToChange[index] = min(distanceToChange[index], last - index)
        }

        var result = ["--- expected", "+++ actual"]
        var hidden = 0
        for (index, line) in alignment.enumerated() {
            if distanceToChange[index] > context {
                hidden += 1
                continue
            }
            if hidden > 0 {
                result.append(collapsed(hidden))
                hidden = 0
            }
            result.append(render(line))
        }
        if hidden > 0 { result.append(collapsed(hidden)) }
        return result
    }

    private static func collapsed(_ count: Int) -> String {
        "@@ \(count) matching line\(count == 1 ? "" : "s") @@"
    }

    private static func render(_ line: AlignedLine) -> String {
        switch line {
        case .kept(let expected, _): " " + expected.source
        case .anyLines: " " + ExpectedLine.anyLines.source
        case .removed(let expected): "-" + expected.source
        case .added(let actual): "+" + actual
        }
    }
}
