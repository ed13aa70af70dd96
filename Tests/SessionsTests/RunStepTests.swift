import Testing

@testable import Sessions

@Suite struct RunStepTests {
    private let session = """
        # Intro.
        gwsh> load a.yaml
        Loaded
        ...

        # Multi-line.
        gwsh> lua x = 1
        ...> y = 2
        """

    @Test func sessionFileRunsItsPromptLines() throws {
        #expect(
            try SessionFile.scriptCommands(text: session, path: "s.gwsh") == [
                .command("load a.yaml", line: 2), .command("lua x = 1\ny = 2", line: 7),
            ])
    }

    @Test func echoIncludesTheComments() throws {
        let file = try SessionFile.parse(text: session, path: "s.gwsh")
        #expect(
            file.commandsForRun(echo: true) == [
                .comment("# Intro.", line: 1), .command("load a.yaml", line: 2),
                .comment("# Multi-line.", line: 6), .command("lua x = 1\ny = 2", line: 7),
            ])
    }

    @Test func fileWithoutPromptsIsAPlainScript() throws {
        let script = "# setup\n# more\nload a.yaml\n\n   \nsend GET /\n"
        #expect(
            try SessionFile.scriptCommands(text: script, path: "s.txt") == [
                .command("load a.yaml", line: 3), .command("send GET /", line: 6),
            ])
        #expect(
            try SessionFile.scriptCommands(text: script, path: "s.txt", echo: true) == [
                .comment("# setup\n# more", line: 1), .command("load a.yaml", line: 3), .command("send GET /", line: 6),
            ])
    }

    @Test func brokenSessionFileIsAParseError() {
        #expect(throws: SessionParseError.self) {
            try SessionFile.scriptCommands(text: "load a.yaml\ngwsh> b\n", path: "s.gwsh")
        }
    }
}
