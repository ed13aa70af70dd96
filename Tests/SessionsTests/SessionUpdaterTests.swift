import Foundation
import Testing

@testable import Sessions

@Suite struct SessionUpdaterTests {
    private func updated(_ expected: [String], _ actual: [String], atEndOfFile: Bool = false) -> [String] {
        SessionUpdater.expectedSource(
            old: expected.map(ExpectedLine.init(source:)), actual: actual, atEndOfFile: atEndOfFile)
    }

    @Test func matchingExpectationIsKeptUnchanged() {
        #expect(updated(["a", "...", "[0-9]+ (re)"], ["a", "x", "y", "42"]) == ["a", "...", "[0-9]+ (re)"])
    }

    @Test func differingLinesBecomeTheActualLines() {
        #expect(updated([], ["new"]) == ["new"])
        #expect(updated(["old"], []) == [])
        #expect(updated(["a", "old", "c"], ["a", "new", "c"]) == ["a", "new", "c"])
    }

    @Test func regexLinesThatStillMatchAreKept() {
        #expect(
            updated(
                ["200 OK", "x-request-id: [a-z0-9]+ (re)", "date: .* (re)"],
                ["500 Error", "x-request-id: abc9", "date"])
                == ["500 Error", "x-request-id: [a-z0-9]+ (re)", "date"])
    }

    @Test func anyLinesKeepStandingForWhatTheyHid() {
        // A changed line right before or after `...` shows up; the lines `...` hid stay hidden.
        #expect(updated(["a", "...", "z"], ["b", "m", "n", "z"]) == ["b", "...", "z"])
        #expect(updated(["...", "200 OK"], ["x", "y", "500 Error"]) == ["...", "500 Error"])
        #expect(updated(["...", "last"], ["last", "more"]) == ["...", "last", "more"])
        #expect(
            updated(["head", "...", "mid", "...", "tail"], ["HEAD", "x", "y", "TAIL"]) == ["HEAD", "...", "TAIL"])
        #expect(updated(["a", "b", "...", "c"], ["x"]) == ["x", "..."])
    }

    @Test func outputThatWouldReadAsSyntaxIsEscaped() throws {
        let tricky = [
            "gwsh> echo", "gwsh>", "...> more", "...>", "...", "done (re)", "", "# after a blank",
            "# not after a blank",
            "text", "$1.00 [ok] {x} (a|b)? ^*+\\",
        ]
        let lines = updated(["old"], tricky)
        #expect(
            lines == [
                "[g]wsh> echo (re)", "[g]wsh> (re)", "\\.\\.\\.> more (re)", "\\.\\.\\.> (re)", "\\.\\.\\. (re)",
                "done \\(re\\) (re)", "", "[#] after a blank (re)", "# not after a blank", "text",
                "$1.00 [ok] {x} (a|b)? ^*+\\",
            ])
        // Whatever the next line is, the block reads back as one expectation that matches the output.
        let text = (["gwsh> show"] + lines + ["", "# a real comment", "gwsh> next"]).joined(separator: "\n")
        let file = try SessionFile.parse(text: text, path: "t.gwsh")
        #expect(file.commands.count == 2)
        let show = try #require(file.commands.first)
        #expect(show.expected.map(\.source) == lines)
        #expect(OutputMatcher(expected: show.expected).matches(tricky))
    }

    @Test func trailingBlankLinesAtTheEndOfTheFileAreEscaped() {
        #expect(updated([], ["a", "", ""], atEndOfFile: true) == ["a", "^$ (re)", "^$ (re)"])
        #expect(updated([], ["a", "", ""], atEndOfFile: false) == ["a", "", ""])
        #expect(updated([], ["", "a"], atEndOfFile: true) == ["", "a"])
    }

    @Test func everyPrintableCharacterEscapesToAMatchingPattern() throws {
        let printable = (32...126).compactMap { Unicode.Scalar($0).map { String(Character($0)) } }
        for text in printable + [printable.joined(), "é ✓ 日本"] {
            let source = SessionUpdater.escapedPattern(text)
            guard case .pattern(let pattern) = ExpectedLine(source: source) else {
                Issue.record("\(source) is not a pattern line")
                continue
            }
            let regex = try Regex(pattern)
            #expect(try regex.wholeMatch(in: text) != nil, "\(source)")
            #expect(try regex.wholeMatch(in: text + "x") == nil, "\(source)")
        }
    }

    @Test func updateRewritesOnlyExpectedOutputAndKeepsTheRestByteForByte() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let shell = FakeShell([
            "load a.yaml": printed("Loaded REST API a (a7k2m9q4rt): 3 resources"),
            "send GET /dev/status": printed("500 Internal Server Error", "x-amzn-requestid: 0000-0001", "", "{}"),
            "expect status == 500": printed(),
            "stats": printed("gwsh> not a prompt", "", "# not a comment"),
        ])
        let path = try dir.write(
            "lesson.gwsh",
            """
            # The header stays.

            # About loading.
            gwsh> load a.yaml
            Loaded REST API a \\([a-z0-9]{10}\\): 2 resources (re)

            # Send a request;
            # the comment block and the blank line above it stay.
            gwsh> send GET /dev/status
            200 OK
            x-amzn-requestid: [0-9-]+ (re)
            ...
            gwsh> expect status == 500
            gwsh> stats
            """)
        let (summary, lines) = shell.test([path], update: true)
        #expect(lines == ["UPDATED \(path)", "1 passed, 0 failed"])
        #expect(summary.exitCode == 0)
        #expect(
            try dir.read("lesson.gwsh") == """
                # The header stays.

                # About loading.
                gwsh> load a.yaml
                Loaded REST API a (a7k2m9q4rt): 3 resources

                # Send a request;
                # the comment block and the blank line above it stay.
                gwsh> send GET /dev/status
                500 Internal Server Error
                x-amzn-requestid: [0-9-]+ (re)
                ...
                gwsh> expect status == 500
                gwsh> stats
                [g]wsh> not a prompt (re)

                [#] not a comment (re)
                """)

        let (again, againLines) = shell.test([path])
        #expect(againLines == ["PASS \(path)", "1 passed, 0 failed"])
        #expect(again.exitCode == 0)
    }

    @Test func updateNeverRewritesExpectAndAFailedExpectStillFails() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let shell = FakeShell([
            "show": printed("new"),
            "expect status == 400": CommandOutcome(
                output: "found 500", expectationFailure: "status: expected 400, found 500"),
            "expect status == 500": printed("chatty"),
        ])
        let text = "gwsh> show\nold\ngwsh> expect status == 400\ngwsh> expect status == 500\n"
        let path = try dir.write("e.gwsh", text)
        let (summary, lines) = shell.test([path], update: true)
        #expect(
            lines == [
                "FAIL \(path)",
                "\(path):3: expectation failed",
                "  gwsh> expect status == 400",
                "  status: expected 400, found 500",
                "\(path):4: output differs",
                "  gwsh> expect status == 500",
                "  --- expected",
                "  +++ actual",
                "  +chatty",
                "\(path): note: updated the expected output of 1 command",
                "0 passed, 1 failed",
            ])
        #expect(summary.exitCode == 4)
        #expect(try dir.read("e.gwsh") == "gwsh> show\nnew\ngwsh> expect status == 400\ngwsh> expect status == 500\n")
    }

    @Test func updateLeavesPassingFilesAlone() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let shell = FakeShell(["show": printed("a", "b")])
        let text = "gwsh> show\n...\n\n\n"
        let path = try dir.write("p.gwsh", text)
        let (_, lines) = shell.test([path], update: true)
        #expect(lines == ["PASS \(path)", "1 passed, 0 failed"])
        #expect(try dir.read("p.gwsh") == text)
    }

    @Test func updateBakesInRuntimeErrorsWithANote() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let shell = FakeShell()
        let path = try dir.write("r.gwsh", "gwsh> frobnicate")
        let (summary, lines) = shell.test([path], update: true)
        #expect(
            lines == [
                "UPDATED \(path)",
                "\(path):1: note: the command failed (error: unknown command 'frobnicate'); its output is now the expected output",
                "1 passed, 0 failed",
            ])
        #expect(summary.exitCode == 0)
        #expect(try dir.read("r.gwsh") == "gwsh> frobnicate\nerror: unknown command 'frobnicate'")
    }

    @Test func rewriteHandlesSeveralCommandsOfChangingSize() throws {
        let text = "gwsh> a\n1\n2\n3\ngwsh> b\ngwsh> c\nx\n\n"
        let file = try SessionFile.parse(text: text, path: "t.gwsh")
        let commands = file.commands
        let result = SessionUpdater.rewrite(
            text: text, outputs: [(commands[0], ["one"]), (commands[1], ["b1", "b2"]), (commands[2], ["y", ""])])
        #expect(result == "gwsh> a\none\ngwsh> b\nb1\nb2\ngwsh> c\ny\n^$ (re)\n\n")
        let reparsed = try SessionFile.parse(text: result, path: "t.gwsh")
        #expect(OutputMatcher(expected: reparsed.commands[2].expected).matches(["y", ""]))
    }
}
