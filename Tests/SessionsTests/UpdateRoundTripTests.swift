import Testing

@testable import Sessions

/// Whatever a command prints and whatever its block said before, `--update` must leave a file that parses
/// to an expectation matching the new output, with everything around the block untouched.
@Suite struct UpdateRoundTripTests {
    /// SplitMix64: a small deterministic generator, so a failure reproduces.
    private struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var value = state
            value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
            value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
            return value ^ (value >> 31)
        }
    }

    private static let printedLines = [
        "", "", "x", "y", "# note", "#", "gwsh> a", "gwsh>", "...> b", "...", "done (re)", "[x]", "200 OK",
    ]
    private static let expectedLines = ["", "x", "y", "...", "...", "[xy] (re)", "# note", ".* (re)", "200 OK"]

    private func lines(from pool: [String], using generator: inout Generator) -> [String] {
        (0..<Int.random(in: 0...5, using: &generator)).map { _ in pool.randomElement(using: &generator) ?? "" }
    }

    /// An item without its line numbers, which move when a block above changes size.
    private func shape(_ item: SessionItem) -> [String] {
        switch item {
        case .comment(let comment): comment.lines
        case .command(let command): command.transcript + command.expected.map(\.source)
        }
    }

    @Test(arguments: [false, true])
    func updatedBlocksReadBackAsTheirOutput(followedByComment: Bool) throws {
        var generator = Generator(state: followedByComment ? 1 : 2)
        var checked = 0
        for _ in 0..<2_000 {
            let old = lines(from: Self.expectedLines, using: &generator)
            let actual = lines(from: Self.printedLines, using: &generator)
            let after = followedByComment ? ["", "# about b", "gwsh> b", "z"] : [""]
            let text = (["gwsh> a"] + old + after).joined(separator: "\n")
            guard let file = try? SessionFile.parse(text: text, path: "t.gwsh"),
                let command = file.commands.first, command.expected.map(\.source) == old
            else {
                // Generated "old" text that itself reads as a comment block is not a block to update.
                continue
            }

            checked += 1
            let updated = SessionUpdater.rewrite(text: text, outputs: [(command, actual)])
            let reparsed = try SessionFile.parse(text: updated, path: "t.gwsh")
            let newCommand = try #require(reparsed.commands.first)
            #expect(
                OutputMatcher(expected: newCommand.expected).matches(actual),
                "old \(old), actual \(actual), written \(newCommand.expected.map(\.source))")
            #expect(reparsed.items.dropFirst().map(shape) == file.items.dropFirst().map(shape))
            #expect(updated.hasSuffix(after.joined(separator: "\n")))
            if OutputMatcher(expected: command.expected).matches(actual) {
                #expect(updated == text)
            }
        }
        #expect(checked > 1_000)
    }
}
