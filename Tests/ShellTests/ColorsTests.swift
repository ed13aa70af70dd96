import Testing
@testable import Shell

@Suite struct ColorsTests {
    @Test func enabledFollowsTheModeNoColorAndTheTerminal() {
        #expect(Colors.enabled(.auto, environment: [:], isTerminal: true))
        #expect(!Colors.enabled(.auto, environment: ["NO_COLOR": "1"], isTerminal: true))
        #expect(Colors.enabled(.auto, environment: ["NO_COLOR": ""], isTerminal: true))  // no-color.org: set and not empty
        #expect(!Colors.enabled(.auto, environment: [:], isTerminal: false))
        #expect(!Colors.enabled(.auto, environment: ["TERM": "dumb"], isTerminal: true))
        #expect(Colors.enabled(.always, environment: ["NO_COLOR": "1"], isTerminal: false))
        #expect(!Colors.enabled(.never, environment: [:], isTerminal: true))
    }

    @Test func paintsStatusLinesErrorsAndFailedStagesOnly() {
        #expect(Colors.paint("200 OK  (MOCK, 0 ms)  content-type: application/json") == "\u{1B}[1m\u{1B}[32m200 OK\u{1B}[0m  (MOCK, 0 ms)  content-type: application/json")
        #expect(Colors.paint("503 Service Unavailable  (x)").hasPrefix("\u{1B}[1m\u{1B}[31m503"))
        #expect(Colors.paint("error: no such thing") == "\u{1B}[1m\u{1B}[31merror:\u{1B}[0m no such thing")
        #expect(Colors.paint("{\"id\": \"42\"}") == "{\"id\": \"42\"}")
        #expect(Colors.paint("a\nb") == "a\nb")
    }
}
