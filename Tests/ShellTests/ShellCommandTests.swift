import Foundation
import Sessions
import Testing

@testable import Shell

/// Shell commands driven directly through `ShellSession.execute`, as a session file or the REPL drives them.
@Suite struct ShellCommandTests {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A session on the embedded default model whose relative paths resolve against the repository.
    static func session() -> ShellSession { ShellSession(baseDirectory: repository.path) }

    // MARK: Argument errors

    @Test func sendWithoutPathIsAnErrorWithAHint() {
        let out = Self.session().execute("send GET")
        #expect(out.runtimeError != nil)
        #expect(out.expectationFailure == nil)
        #expect(out.outputLines == ["error: usage: send METHOD PATH [-H 'K: V']... [-d BODY] [-i]",
                                    "  hint: e.g. send GET /dev/orders/42"])
    }

    @Test(arguments: [
        ("send GET dev/orders/42", "error: the path must start with '/': dev/orders/42"),
        ("send G3T /dev/orders/42", "error: 'G3T' is not an HTTP method"),
        ("send GET /dev/orders/42 -H", "error: -H needs a value"),
        ("send POST /dev/orders -d", "error: -d needs a value"),
        ("send GET /dev/orders/42 -H nocolon", "error: header 'nocolon' is not 'Name: value'"),
        ("send GET /dev/orders/42 --verbose", "error: unexpected argument '--verbose'"),
        ("load", "error: usage: load FILE | load -"),
        ("seed many", "error: usage: seed N"),
        ("clock set never", "error: usage: clock set TIME"),
        ("clock advance later", "error: usage: clock advance DURATION"),
        ("trace", "error: no request yet"),
        ("inspect request", "error: no request to inspect"),
        ("expect status == 200", "error: no request to check"),
        ("next", "error: no request is being stepped"),
        ("send 'GET /dev/orders", "error: unterminated single quote"),
    ])
    func argumentErrors(command: String, firstLine: String) {
        let out = Self.session().execute(command)
        #expect(out.runtimeError != nil, "\(command)")
        #expect(out.outputLines.first == firstLine, "\(command): \(out.output)")
        #expect(out.outputLines.dropFirst().allSatisfy { $0.hasPrefix("  hint: ") }, "\(command): \(out.output)")
    }

    @Test func unknownCommandSuggestsTheClosestOne() {
        let shell = Self.session()
        let out = shell.execute("snd GET /dev/orders/42")
        #expect(out.runtimeError == "unknown command 'snd'")
        #expect(out.outputLines == ["error: unknown command 'snd'",
                                    "  hint: did you mean `send`? type `help` for the list of commands"])
        let far = shell.execute("frobnicate")
        #expect(far.outputLines == ["error: unknown command 'frobnicate'", "  hint: type `help` for the list of commands"])
        // The shell carries on.
        #expect(shell.execute("send GET /dev/orders/42").runtimeError == nil)
    }

    @Test func blankLinesAndCommentsDoNothing() {
        let shell = Self.session()
        for line in ["", "   ", "# a comment", "  # indented comment"] {
            let out = shell.execute(line)
            #expect(out == CommandOutcome(output: ""), "\(line)")
        }
    }

    @Test func failedLoadKeepsThePreviousModel() {
        let shell = Self.session()
        let good = shell.execute("load sessions/models/status-codes-proxy.yaml")
        #expect(good.runtimeError == nil, "\(good.output)")
        #expect(good.outputLines.first == "Loaded REST API status-codes (a7k2m9q4rt): 3 resources, 2 methods, stage dev")
        #expect(shell.prompt == "status-codes> ")

        let missing = shell.execute("load sessions/models/no-such-model.yaml")
        #expect(missing.runtimeError != nil)
        #expect(missing.outputLines.first == "error: sessions/models/no-such-model.yaml: cannot read the model file")
        #expect(missing.output.contains("the previous model stays loaded"))

        let broken = shell.execute("load sessions/models/broken-typo.yaml")
        #expect(broken.outputLines.first == "error: sessions/models/broken-typo.yaml:13:11: unknown key `integraton` in restApis[0].resources./hello.POST")
        #expect(broken.output.contains("did you mean `integration`?"))

        #expect(shell.prompt == "status-codes> ")
        #expect(shell.execute("routes").outputLines.first == "API status-codes (a7k2m9q4rt), EDGE, stage: dev")
        // Its plugins still answer.
        let sent = shell.execute("send POST /dev/status-proxy -d '{}'")
        #expect(sent.outputLines == ["200 OK  (AWS_PROXY, 13 ms)  content-type: text/plain", "Pass"])
    }

    @Test func exitAsksTheLoopToStop() {
        let shell = Self.session()
        #expect(!shell.wantsExit)
        #expect(shell.execute("exit").output.isEmpty)
        #expect(shell.wantsExit)
    }

    // MARK: ShellWords

    @Test(arguments: [
        ("send GET /dev/orders/42", ["send", "GET", "/dev/orders/42"]),
        ("  spaced \t out  ", ["spaced", "out"]),
        ("", []),
        ("-d '{\"item\": \"book\"}'", ["-d", "{\"item\": \"book\"}"]),
        ("-H 'X-Name: a b'", ["-H", "X-Name: a b"]),
        ("\"double \\\"quoted\\\" \\\\ \\$HOME\"", ["double \"quoted\" \\ $HOME"]),
        ("\"keeps \\n as is\"", ["keeps \\n as is"]),
        ("'single \\ keeps \" all'", ["single \\ keeps \" all"]),
        ("one\\ word", ["one word"]),
        ("'a'\"b\"c", ["abc"]),
        ("''", [""]),
        ("x '' y", ["x", "", "y"]),
    ])
    func shellWordsSplit(line: String, words: [String]) throws {
        #expect(try ShellWords.split(line) == words)
    }

    @Test func shellWordsUnterminatedQuotes() {
        #expect(throws: ShellWords.SplitError.self) { try ShellWords.split("send 'GET") }
        #expect(throws: ShellWords.SplitError.self) { try ShellWords.split("say \"hello") }
        #expect(throws: ShellWords.SplitError.self) { try ShellWords.split("say \"hello\\\"") }
    }

    // MARK: expect

    /// A session whose last response is the 201 of a created order (POST /orders, a Lambda proxy method).
    static func sessionAfterPost() -> ShellSession {
        let shell = session()
        let out = shell.execute(#"send POST /dev/orders -H 'Content-Type: application/json' -d '{"item": "book \"deluxe\"", "quantity": 2}'"#)
        precondition(out.outputLines.first == "201 Created  (AWS_PROXY, 13 ms)  content-type: application/json", out.output)
        return shell
    }

    @Test(arguments: [
        "expect status == 201",
        "expect status == 201.0",
        "expect status != 200",
        "expect status > 200",
        "expect status < 202",
        "expect header content-type == application/json",
        "expect header CONTENT-TYPE contains json",
        "expect header x-amzn-RequestId matches \"[0-9a-f-]{36}\"",
        "expect header X-Amzn-Trace-Id exists",
        "expect header x-amzn-ErrorType != InternalServerErrorException",
        #"expect body == "{\"id\":\"1\",\"item\":\"book \\\"deluxe\\\"\",\"quantity\":2,\"status\":\"pending\"}""#,
        #"expect body contains "\"quantity\":2""#,
        #"expect body matches "\\{.*\"status\":\"pending\"\\}""#,
        #"expect body.item == "book \"deluxe\"""#,
        #"expect body.item matches "book \".*\"""#,
        "expect body.quantity == 2",
        "expect body.quantity > 1.5",
        "expect body.quantity < 2.5",
        "expect body.id == 1",
        "expect body.id exists",
        "expect body.missing != x",
        "expect trace route.resource == /orders",
        "expect trace integration.function == orders",
        "expect trace integration-response.status == 201",
        "expect log == \"Method completed with status: 201\"",
        "expect log contains \"Starting execution for request: \"",
        "expect log matches \"Received response\\\\. Status: 200, Integration latency: \\\\d+ ms\"",
    ])
    func expectationsThatHold(command: String) {
        let out = Self.sessionAfterPost().execute(command)
        #expect(out.expectationFailure == nil && out.runtimeError == nil, "\(command): \(out.output)")
        #expect(out.output.isEmpty, "\(command): \(out.output)")
    }

    @Test(arguments: [
        ("expect status == 200", "expect failed: status == 200\n  found: \"201\""),
        ("expect status != 201", "expect failed: status != 201\n  found: \"201\""),
        ("expect status > 201", "expect failed: status > 201\n  found: \"201\""),
        ("expect status < 201", "expect failed: status < 201\n  found: \"201\""),
        ("expect header content-type contains xml", "expect failed: header content-type contains xml\n  found: \"application/json\""),
        ("expect header x-amzn-ErrorType exists", "expect failed: header x-amzn-ErrorType exists\n  found: nothing"),
        ("expect header x-amzn-ErrorType == Boom", "expect failed: header x-amzn-ErrorType == Boom\n  found: nothing"),
        (#"expect body.item == "book \"basic\"""#, "expect failed: body.item == book \"basic\"\n  found: \"book \\\"deluxe\\\"\""),
        ("expect body.item matches book", "expect failed: body.item matches book\n  found: \"book \\\"deluxe\\\"\""),
        ("expect body.quantity == 3", "expect failed: body.quantity == 3\n  found: \"2\""),
        ("expect trace route.resource == /orders/{id}", "expect failed: trace route.resource == /orders/{id}\n  found: \"/orders\""),
        ("expect log contains \"Method completed with status: 500\"",
         "expect failed: log contains Method completed with status: 500\n  found: no line containing it"),
        ("expect log == \"Method completed\"", "expect failed: log == Method completed\n  found: the execution log"),
    ])
    func expectationsThatFail(command: String, message: String) {
        let out = Self.sessionAfterPost().execute(command)
        #expect(out.runtimeError == nil, "\(command): \(out.output)")
        #expect(out.expectationFailure == message, "\(command)")
        #expect(out.output == message, "\(command)")
    }

    @Test(arguments: [
        ("expect status >= 200", "unknown operator '>='"),
        ("expect status matches \"(\"", "invalid regular expression: ("),
        ("expect header content-type > 1", "> compares numbers"),
        (#"expect body == "bad \q escape""#, #"cannot read the quoted value "bad \q escape""#),
        ("expect trace nowhere.field == 1", "usage: expect trace STAGE.FIELD OP VALUE"),
        ("expect header", "usage: expect header NAME OP VALUE"),
        ("expect cookies exists", "cannot check 'cookies'"),
    ])
    func malformedExpectationsAreErrorsNotFailures(command: String, error: String) {
        let out = Self.sessionAfterPost().execute(command)
        #expect(out.expectationFailure == nil, "\(command)")
        #expect(out.runtimeError == error, "\(command): \(out.output)")
        #expect(out.output.hasPrefix("error: "), "\(command): \(out.output)")
    }

    @Test func expectWithoutAnOperatorChecksThatTheValueExists() {
        let shell = Self.sessionAfterPost()
        #expect(shell.execute("expect status").expectationFailure == nil)
        #expect(shell.execute("expect header x-not-sent").expectationFailure == "expect failed: header x-not-sent exists\n  found: nothing")
    }

    @Test func expectSeesTheSteppedRequestBeforeItFinishes() {
        let shell = Self.session()
        #expect(shell.execute("step GET /dev/orders/42").runtimeError == nil)
        #expect(shell.execute("next").runtimeError == nil)
        #expect(shell.execute("expect trace route.resource == /orders/{id}").expectationFailure == nil)
        #expect(shell.execute("expect status exists").expectationFailure != nil)
        #expect(shell.execute("continue").runtimeError == nil)
        #expect(shell.execute("expect status == 200").expectationFailure == nil)
    }
}

/// `reload` after editing the model file.
@Suite struct ReloadTests {
    @Test func reloadReadsTheEditedFileAndKeepsTheOldModelWhenTheEditIsBroken() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gwsh-reload-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        func model(_ body: String) -> String {
            """
            restApis:
              - id: a1b2c3d4e5
                name: pets
                resources:
                  /pets:
                    GET:
                      integration: { type: MOCK, requestTemplates: { application/json: '{"statusCode": 200}' }, integrationResponses: { "200": { responseTemplates: { application/json: '\(body)' } } } }
                      methodResponses: { "200": {} }
                stages: [ { stageName: dev } ]
            """
        }
        let file = dir.appendingPathComponent("m.yaml")
        try model("one").write(to: file, atomically: true, encoding: .utf8)
        let s = ShellSession(baseDirectory: dir.path)
        _ = s.execute("load m.yaml")
        #expect(s.execute("send GET /dev/pets").outputLines.last == "one")
        try model("two").write(to: file, atomically: true, encoding: .utf8)
        _ = s.execute("reload")
        #expect(s.execute("send GET /dev/pets").outputLines.last == "two")
        try "restApis: [ { id: x, resourcez: {} } ]".write(to: file, atomically: true, encoding: .utf8)
        let broken = s.execute("reload")
        #expect(broken.runtimeError != nil && broken.outputLines.last?.contains("the previous model stays loaded") == true)
        #expect(s.execute("send GET /dev/pets").outputLines.last == "two")
    }

    @Test func reloadOfTheDefaultModel() {
        let s = ShellSession()
        #expect(s.execute("reload").outputLines == ["Reloaded the embedded default model"])
        #expect(s.execute("send GET /dev/orders/42").outputLines.first?.hasPrefix("200 OK") == true)
    }
}

@Suite struct InlineLoadTests {
    @Test func loadDashReadsUpToAnEmptyLine() {
        #expect(!ShellSession.inputIsComplete("load -"))
        #expect(!ShellSession.inputIsComplete("load -\nrestApis: []"))
        #expect(ShellSession.inputIsComplete("load -\nrestApis: []\n"))
        #expect(ShellSession.inputIsComplete("load m.yaml"))
        #expect(ShellSession.inputIsComplete("send GET /dev/orders/42"))
    }

    @Test func aBrokenTypedModelKeepsTheOldOne() {
        let s = ShellSession()
        let out = s.execute("load -\nrestApis: [ { id: x, resourcez: {} } ]\n")
        #expect(out.runtimeError != nil && out.output.contains("(typed model)"))
        #expect(s.execute("send GET /dev/orders/42").outputLines.first?.hasPrefix("200 OK") == true)
    }
}

@Suite struct PluginLimitTests {
    @Test func aPluginsOwnInstructionBudgetTimesItsFunctionsOut() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gwsh-limits-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let plugin = """
            gateway.lambda("work", function(event)
              local n = 0
              for i = 1, 200000 do n = n + i end
              return { statusCode = 200, body = tostring(n) }
            end)
            """
        try plugin.write(to: dir.appendingPathComponent("p.lua"), atomically: true, encoding: .utf8)
        func model(_ plugins: String) -> String {
            """
            plugins: \(plugins)
            restApis:
              - id: a1b2c3d4e5
                resources: { /work: { GET: { integration: { type: AWS_PROXY, uri: lambda:work } } } }
                stages: [ { stageName: dev } ]
            """
        }
        try model("[p.lua]").write(to: dir.appendingPathComponent("free.yaml"), atomically: true, encoding: .utf8)
        try model("[ { path: p.lua, limits: { instructions: 100000 } } ]").write(to: dir.appendingPathComponent("tight.yaml"), atomically: true, encoding: .utf8)
        let s = ShellSession(baseDirectory: dir.path)
        _ = s.execute("load free.yaml")
        #expect(s.execute("send GET /dev/work").outputLines.first?.hasPrefix("200 OK") == true)
        _ = s.execute("load tight.yaml")
        let tight = s.execute("send GET /dev/work").outputLines
        #expect(tight.first?.hasPrefix("502") == true, "\(tight)")
        #expect(s.execute("trace --aws").output.contains("Task timed out"))
        #expect(s.execute("load -\nplugins: [ { path: p.lua, limits: { instructions: 5 } } ]\n").runtimeError != nil)
    }
}

@Suite struct IdentitySwitchTests {
    @Test func aFailedAsKeepsTheRoleSession() {
        let s = ShellSession(baseDirectory: ShellCommandTests.repository.appendingPathComponent("sessions/lessons").path)
        _ = s.execute("load ../models/cross-account.yaml")
        _ = s.execute("as bob")
        #expect(s.execute("assume-role api-invoker --session s1").runtimeError == nil)
        #expect(s.execute("as nobody").runtimeError != nil)
        #expect(s.execute("whoami").output.hasPrefix("arn:aws:sts::111111111111:assumed-role/ApiInvoker/s1"))
        _ = s.execute("as alice")
        #expect(s.execute("whoami").output.hasPrefix("alice:"))
    }
}
