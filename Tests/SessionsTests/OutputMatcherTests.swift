import Testing

@testable import Sessions

@Suite struct OutputMatcherTests {
    private func matches(_ expected: [String], _ actual: [String]) -> Bool {
        OutputMatcher(expected: expected.map(ExpectedLine.init(source:))).matches(actual)
    }

    @Test func exactLines() {
        #expect(matches([], []))
        #expect(matches(["a", "b"], ["a", "b"]))
        #expect(!matches(["a", "b"], ["a", "c"]))
        #expect(!matches(["a"], ["a", "b"]))
        #expect(!matches(["a", "b"], ["a"]))
        #expect(!matches([], ["a"]))
        #expect(!matches(["a "], ["a"]))
    }

    @Test func anyLinesAtStartMiddleAndEnd() {
        #expect(matches(["..."], []))
        #expect(matches(["..."], ["x", "y"]))
        #expect(matches(["...", "z"], ["x", "y", "z"]))
        #expect(!matches(["...", "z"], ["z", "y"]))
        #expect(matches(["a", "...", "z"], ["a", "z"]))
        #expect(matches(["a", "...", "z"], ["a", "b", "c", "z"]))
        #expect(!matches(["a", "...", "z"], ["a", "b"]))
        #expect(matches(["a", "..."], ["a"]))
        #expect(matches(["a", "..."], ["a", "b", "c"]))
        #expect(!matches(["a", "..."], ["b", "a"]))
    }

    @Test func severalAnyLinesNeedBacktracking() {
        // The first `...` must not take the first "x": the match needs the last one.
        #expect(matches(["...", "x", "...", "y"], ["x", "x", "y"]))
        #expect(matches(["...", "x", "...", "x", "..."], ["x", "a", "x"]))
        #expect(!matches(["...", "x", "...", "x", "..."], ["a", "x", "a"]))
        #expect(matches(["...", "...", "..."], []))
        #expect(matches(["a", "...", "b", "...", "c"], ["a", "b", "b", "c", "c"]))
        #expect(!matches(["a", "...", "b", "...", "c"], ["a", "c", "b"]))
    }

    @Test func regexLinesMatchTheWholeLine() {
        #expect(matches(["[0-9]+ ms (re)"], ["42 ms"]))
        #expect(!matches(["[0-9]+ ms (re)"], ["took 42 ms"]))
        #expect(!matches(["[0-9]+ (re)"], ["42 ms"]))
        #expect(matches(["id: [a-z0-9]{10} (re)", "..."], ["id: a7k2m9q4rt", "more"]))
        #expect(matches(["...", ".*Raising 400.* (re)"], ["x", "error: Raising 400 now"]))
        #expect(!matches(["a|b (re)"], ["c"]))
    }

    @Test func manyAnyLinesOverLongOutputStayFast() {
        let actual = Array(repeating: "x", count: 2_000) + ["end"]
        let expected = Array(repeating: "...", count: 50) + ["y"]
        #expect(!matches(expected, actual))
        #expect(matches(Array(repeating: "...", count: 50) + ["end"], actual))
    }
}
