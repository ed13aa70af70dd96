import Testing

@testable import Sessions

@Suite struct SessionParserTests {
    private func parse(_ lines: String...) throws -> SessionFile {
        try SessionFile.parse(text: lines.joined(separator: "\n"), path: "s.gwsh")
    }

    private func parseError(_ lines: String...) -> SessionParseError? {
        do {
            _ = try SessionFile.parse(text: lines.joined(separator: "\n"), path: "s.gwsh")
            return nil
        } catch {
            return error
        }
    }

    @Test func readsCommandsCommentsAndExpectedOutput() throws {
        let file = try parse(
            "# A lesson.",
            "# Second line.",
            "gwsh> load models/a.yaml",
            "Loaded REST API a",
            "",
            "# Now send.",
            "gwsh> send POST /dev/status",
            "400 Bad Request",
            "...",
            "x-request-id: [0-9a-f]+ (re)",
            "gwsh> expect status == 400",
            "")
        #expect(file.path == "s.gwsh")
        #expect(
            file.items == [
                .comment(SessionComment(line: 1, lines: ["# A lesson.", "# Second line."])),
                .command(
                    SessionCommand(
                        text: "load models/a.yaml", line: 3, inputLineCount: 1,
                        expected: [.literal("Loaded REST API a")])),
                .comment(SessionComment(line: 6, lines: ["# Now send."])),
                .command(
                    SessionCommand(
                        text: "send POST /dev/status", line: 7, inputLineCount: 1,
                        expected: [.literal("400 Bad Request"), .anyLines, .pattern("x-request-id: [0-9a-f]+")])),
                .command(SessionCommand(text: "expect status == 400", line: 11, inputLineCount: 1, expected: [])),
            ])
        #expect(file.commands.map(\.isExpect) == [false, false, true])
    }

    @Test func joinsContinuationLines() throws {
        let file = try parse(
            "gwsh> lua function f()",
            "...>   return 1",
            "...>",
            "...> end",
            "ok")
        let command = try #require(file.commands.first)
        #expect(command.text == "lua function f()\n  return 1\n\nend")
        #expect(command.inputLineCount == 4)
        #expect(command.expectedOutputLine == 5)
        #expect(command.expected == [.literal("ok")])
        #expect(command.transcript == ["gwsh> lua function f()", "...>   return 1", "...> ", "...> end"])
    }

    @Test func bareMarkerIsAnEmptyCommand() throws {
        let file = try parse("gwsh>", "gwsh> ", "out")
        #expect(file.commands.map(\.text) == ["", ""])
        #expect(file.commands.map(\.expected) == [[], [.literal("out")]])
    }

    @Test func onlyTheBlankLineBeforeACommentBlockIsASeparator() throws {
        let file = try parse(
            "gwsh> a",
            "one",
            "",
            "",
            "# about b",
            "gwsh> b",
            "",
            "gwsh> c")
        #expect(file.commands.map(\.expected) == [[.literal("one"), .literal("")], [.literal("")], []])
        #expect(file.items.count == 4)
    }

    @Test func hashLinesAreOutputUnlessTheyFollowABlankLineAndPrecedeAPrompt() throws {
        let file = try parse(
            "gwsh> a",
            "# directly after the command",
            "gwsh> b",
            "text",
            "# after text",
            "gwsh> c",
            "",
            "# followed by more output",
            "more",
            "gwsh> d",
            "out",
            "# mixed",
            "",
            "# comment",
            "gwsh> e")
        #expect(
            file.commands.map(\.expected) == [
                [.literal("# directly after the command")],
                [.literal("text"), .literal("# after text")],
                [.literal(""), .literal("# followed by more output"), .literal("more")],
                [.literal("out"), .literal("# mixed")],
                [],
            ])
        #expect(file.items.filter { if case .comment = $0 { true } else { false } }.count == 1)
    }

    @Test func trailingBlankLinesAreNotOutputButTrailingHashLinesAre() throws {
        let file = try parse("gwsh> a", "out", "", "", "")
        #expect(file.commands.first?.expected == [.literal("out")])
        let notes = try parse("gwsh> a", "out", "", "# no prompt follows")
        #expect(notes.commands.first?.expected == [.literal("out"), .literal(""), .literal("# no prompt follows")])
    }

    @Test func headerMayHoldSeveralCommentBlocks() throws {
        let file = try parse("", "# Title", "", "# About the first command", "gwsh> a")
        #expect(
            file.items == [
                .comment(SessionComment(line: 2, lines: ["# Title"])),
                .comment(SessionComment(line: 4, lines: ["# About the first command"])),
                .command(SessionCommand(text: "a", line: 5, inputLineCount: 1, expected: [])),
            ])
    }

    @Test func emptyAndCommentOnlyFilesHaveNoCommands() throws {
        #expect(try parse("").items.isEmpty)
        #expect(try parse("# just notes", "").commands.isEmpty)
    }

    @Test func continuationWithoutPromptIsAnError() throws {
        let inHeader = try #require(parseError("# intro", "...> more"))
        #expect(inHeader.line == 2)
        #expect(inHeader.column == 1)
        #expect(inHeader.message.contains("does not follow a prompt line"))

        let afterOutput = try #require(parseError("gwsh> a", "out", "...> b"))
        #expect(afterOutput.line == 3)
        #expect(afterOutput.hint?.contains("(re)") == true)
    }

    @Test func invalidRegexIsAnErrorAtItsLine() throws {
        let error = try #require(parseError("gwsh> a", "fine", "broken [a-", "x (re)", "[ (re)"))
        #expect(error.line == 5)
        #expect(error.message.hasPrefix("invalid regular expression '['"))
        #expect(error.hint != nil)
    }

    @Test func textBeforeTheFirstPromptIsAnError() throws {
        let error = try #require(parseError("# intro", "stray text", "gwsh> a"))
        #expect(error.line == 2)
        #expect(error.message == "text before the first prompt line")
        #expect(error.hint == "only comments ('#') and blank lines may come before the first 'gwsh> ' line")

        let missingSpace = try #require(parseError("gwsh>load a.yaml", "gwsh> b"))
        #expect(missingSpace.hint?.contains("with a space after '>'") == true)

        let plainScript = try #require(parseError("load a.yaml"))
        #expect(plainScript.hint?.contains("plain script") == true)
    }

    @Test func errorDescriptionReadsLikeACompilerMessage() {
        let error = SessionParseError(path: "a.gwsh", line: 3, column: 1, message: "bad", hint: "fix it")
        #expect(error.description == "a.gwsh:3:1: error: bad\n  hint: fix it")
        #expect(SessionParseError(path: "a.gwsh", line: 1, message: "bad").description == "a.gwsh:1:1: error: bad")
    }

    @Test func expectedLineSourceRoundTrips() {
        for source in ["plain", "...", "a.* (re)", " (re)", "....", "...>", "(re)"] {
            #expect(ExpectedLine(source: source).source == source)
        }
        #expect(ExpectedLine(source: "....") == .literal("...."))
        #expect(ExpectedLine(source: "(re)") == .literal("(re)"))
    }
}
