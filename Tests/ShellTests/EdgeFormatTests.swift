import Gateway
import Testing
@testable import Shell

/// dig's presentation and message sizes against the recordings (reference/edge-recordings/07, 08 [LOCAL]).
@Suite struct EdgeFormatTests {
    typealias R = EdgeNetwork.DnsRecordAnswer

    @Test(arguments: [
        (R(name: "www.example.com", ttl: 300, type: "CNAME", value: "0123456789.execute-api.us-east-1.amazonaws.com"),
         "www.example.com.\t300\tIN\tCNAME\t0123456789.execute-api.us-east-1.amazonaws.com."),
        (R(name: "0123456789.execute-api.us-east-1.amazonaws.com", ttl: 60, type: "A", value: "127.0.0.2"),
         "0123456789.execute-api.us-east-1.amazonaws.com.\t60 IN A\t127.0.0.2"),
        (R(name: "d-abcde12345.execute-api.us-east-1.amazonaws.com", ttl: 60, type: "A", value: "127.0.0.3"),
         "d-abcde12345.execute-api.us-east-1.amazonaws.com. 60 IN\tA 127.0.0.3"),
        (R(name: "d111111abcdef8.cloudfront.net", ttl: 60, type: "A", value: "127.0.0.4"), "d111111abcdef8.cloudfront.net. 60 IN\tA\t127.0.0.4"),
        (R(name: "alias.example.com", ttl: 60, type: "A", value: "127.0.0.2"), "alias.example.com.\t60\tIN\tA\t127.0.0.2"),
        (R(name: "edge.example.com", ttl: 300, type: "CNAME", value: "d111111abcdef8.cloudfront.net"), "edge.example.com.\t300\tIN\tCNAME\td111111abcdef8.cloudfront.net."),
    ])
    func answerLines(_ record: R, _ recorded: String) {
        #expect(DigFormat.record(record) == recorded)
    }

    @Test func questionLines() {
        #expect(DigFormat.question("www.example.com", type: "A") == ";www.example.com.\t\tIN\tA")
        #expect(DigFormat.question("nonexistent.example.com", type: "A") == ";nonexistent.example.com.\tIN\tA")
        #expect(DigFormat.question("d-abcde12345.execute-api.us-east-1.amazonaws.com", type: "AAAA") == ";d-abcde12345.execute-api.us-east-1.amazonaws.com. IN AAAA")
    }

    @Test func messageSizes() {
        let wrong = [R(name: "www.example.com", ttl: 300, type: "CNAME", value: "0123456789.execute-api.us-east-1.amazonaws.com"),
                     R(name: "0123456789.execute-api.us-east-1.amazonaws.com", ttl: 60, type: "A", value: "127.0.0.2")]
        #expect(DigFormat.messageSize(question: "www.example.com", records: wrong) == 120)
        let fixed = [R(name: "www.example.com", ttl: 300, type: "CNAME", value: "d-abcde12345.execute-api.us-east-1.amazonaws.com"),
                     R(name: "d-abcde12345.execute-api.us-east-1.amazonaws.com", ttl: 60, type: "A", value: "127.0.0.3")]
        #expect(DigFormat.messageSize(question: "www.example.com", records: fixed) == 122)
        #expect(DigFormat.messageSize(question: "alias.example.com", records: [R(name: "alias.example.com", ttl: 60, type: "A", value: "127.0.0.2")]) == 62)
        #expect(DigFormat.messageSize(question: "nonexistent.example.com", records: []) == 52)
        #expect(DigFormat.messageSize(question: "d-abcde12345.execute-api.us-east-1.amazonaws.com", records: []) == 77)
    }

    @Test func curlErrorLinesAreCurl7881s() {
        // reference/domains.md §6.1 [LOCAL 02, 04].
        var x = Exchange(request: ClientRequest(method: "GET", rawPath: "/"), requestId: "r", extendedRequestId: "e", startMillis: 0)
        x.edgeInfo = EdgeInfo(failure: .couldNotResolve(host: "nonexistent.invalid"))
        #expect(CurlFormat.errorLines(x) == ["curl: (6) Could not resolve host: nonexistent.invalid"])
        #expect(CurlFormat.exitCode(x) == 6)
        x.edgeInfo = EdgeInfo(failure: .tlsProtocolVersion)
        #expect(CurlFormat.errorLines(x) == ["curl: (35) OpenSSL/3.0.19: error:0A00042E:SSL routines::tlsv1 alert protocol version"])
        x.edgeInfo = EdgeInfo(failure: .certificate(.nameMismatch, host: "www.example.com"))
        #expect(CurlFormat.errorLines(x).first == "curl: (60) SSL: no alternative certificate subject name matches target host name 'www.example.com'")
        #expect(CurlFormat.errorLines(x).last == "how to fix it, please visit the web page mentioned above.")
        #expect(CurlFormat.exitCode(x) == 60)
        x.edgeInfo = EdgeInfo(failure: .certificate(.expired, host: "old.example.com"))
        #expect(CurlFormat.errorLines(x).first == "curl: (60) SSL certificate problem: certificate has expired")
    }
}
