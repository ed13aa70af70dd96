import Foundation
import Testing
@testable import Shell

/// What Tab offers at each position (the line editor then keeps the candidates that start with the word).
@Suite struct CompletionTests {
    let shell = ShellSession(baseDirectory: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path)

    @Test(arguments: [
        ("", ShellSession.commandNames),
        ("se", ShellSession.commandNames),
        ("send ", ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"]),
        ("send G", ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"]),
        ("send GET ", ["/dev/orders", "/dev/orders/{id}"]),
        ("send POST /dev/o", ["/dev/orders"]),
        ("step get ", ["/dev/orders", "/dev/orders/{id}"]),
        ("use ", ["rohkz08x02", "orders"]),
        ("trace --", ["--aws", "--cloudwatch", "--json"]),
        ("clock ", ["set", "advance"]),
        ("expect ", ["status", "header", "body", "trace", "log", "traffic."]),
        ("expect traffic.o", ["traffic.sent", "traffic.ok", "traffic.throttled", "traffic.quotaExceeded", "traffic.forbidden", "traffic.other",
                              "traffic.retried", "traffic.attempts", "traffic.gaveUp", "traffic.p50", "traffic.p90", "traffic.p99", "traffic.max"]),
        ("traffic GET /dev/orders --arrival ", ["constant", "poisson", "bursts:"]),
        ("traffic GET /dev/orders --jitter ", ["none", "full", "equal", "decorrelated"]),
        ("traffic GET /dev/orders --cl", ["-H", "-d", "--key", "--rate", "--duration", "--count", "--clients", "--arrival", "--retries",
                                          "--backoff", "--base", "--cap", "--jitter", "--seed"]),
        ("help ", ShellSession.commandNames),
        ("send GET /dev/orders ", ["-H", "-d", "-i", "--via", "--from"]),
        ("send GET /dev/orders --via ", []),
        ("as ", ["anonymous"]),
        ("assume-role ", []),
        ("assume-role x --", ["--session", "--duration"]),
        ("routes ", []),
        ("plugin ", ["enable", "disable"]),
        ("plugin disable ", ["orders.lua"]),
        ("lesson ", ["1", "2", "3", "4", "5", "6", "quit"]),
        ("load sessions/models/wrong-c", ["sessions/models/wrong-certificate.yaml"]),
        ("load sessions/les", ["sessions/lessons/"]),
    ])
    func candidates(line: String, expected: [String]) {
        #expect(shell.completions(line, line.count) == expected, "\(line)")
    }

    @Test func traceFieldsStartWithTheStageNames() {
        let c = shell.completions("expect trace ", 13)
        #expect(c.first == "edge.")
        #expect(c.contains("integration-response."))
    }

    @Test func onlyTheTextBeforeTheCursorCounts() {
        #expect(shell.completions("send GET /dev/orders", 5) == ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"])
    }
}
