import Foundation
import Policy
import Testing

let sigv4Suite: String = {
    let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    return repo.deletingLastPathComponent().appendingPathComponent("shared/conformance/sigv4/aws4_testsuite").path
}()

/// Every case folder of the published suite (a folder holding `NAME.req`), relative to the suite.
let sigv4Cases: [String] = {
    guard let walker = FileManager.default.enumerator(atPath: sigv4Suite) else { return [] }
    var out: [String] = []
    while let p = walker.nextObject() as? String {
        if p.hasSuffix(".req") { out.append((p as NSString).deletingLastPathComponent) }
    }
    return out.sorted()
}()

/// The AWS SigV4 test suite (2015-08-30 edition, ../shared/conformance/sigv4/SOURCES.md): every case's canonical
/// request, string to sign and Authorization header.
@Suite("SigV4 test suite", .enabled(if: !sigv4Cases.isEmpty, "../shared/conformance/sigv4 is absent: SigV4 vectors skipped"))
struct SigV4Tests {
    static let credentials = SigV4Credentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")

    static func file(_ dir: String, _ ext: String) throws -> String {
        let name = (dir as NSString).lastPathComponent
        let data = try #require(FileManager.default.contents(atPath: "\(sigv4Suite)/\(dir)/\(name).\(ext)"))
        return String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\r", with: "")
    }

    /// A raw `.req`: the request line (the path may hold spaces), header lines with folded continuations, a blank
    /// line, the body.
    static func parse(_ raw: String) -> SigV4Request {
        let (head, body): (Substring, Substring) = {
            if let r = raw.range(of: "\n\n") { return (raw[..<r.lowerBound], raw[r.upperBound...]) }
            return (raw[...], "")
        }()
        var lines = head.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let requestLine = lines.removeFirst()
        let method = String(requestLine.prefix { $0 != " " })
        var target = String(requestLine.dropFirst(method.count + 1))
        if let r = target.range(of: " HTTP/", options: .backwards) { target = String(target[..<r.lowerBound]) }
        var headers: [(name: String, value: String)] = []
        for l in lines {
            if l.first == " " || l.first == "\t", !headers.isEmpty { headers[headers.count - 1].value += "\n" + l; continue }
            guard let colon = l.firstIndex(of: ":") else { continue }
            headers.append((String(l[..<colon]), String(l[l.index(after: colon)...])))
        }
        let q = target.firstIndex(of: "?")
        return SigV4Request(method: method, path: q.map { String(target[..<$0]) } ?? target, query: q.map { String(target[target.index(after: $0)...]) } ?? "",
                            headers: headers, body: Array(body.utf8))
    }

    @Test("case", arguments: sigv4Cases)
    func vector(_ dir: String) throws {
        var request = Self.parse(try Self.file(dir, "req"))
        let creq = try Self.file(dir, "creq")
        var credentials = Self.credentials
        // Session-token cases: the token the canonical request shows; signed when the .creq lists it.
        if let line = creq.split(separator: "\n").first(where: { $0.hasPrefix("x-amz-security-token:") }) {
            let token = String(line.dropFirst("x-amz-security-token:".count))
            credentials.sessionToken = token
            if !request.headers.contains(where: { $0.name.lowercased() == "x-amz-security-token" }) { request.headers.append(("X-Amz-Security-Token", token)) }
        } else {
            request.headers.removeAll { $0.name.lowercased() == "x-amz-security-token" }  // added after signing (post-sts-header-after)
        }
        let s = SigV4.sign(request, credentials: credentials, amzDate: "20150830T123600Z", region: "us-east-1", service: "service")
        #expect(s.canonicalRequest == creq)
        #expect(s.stringToSign == (try Self.file(dir, "sts")))
        #expect(s.authorization == (try Self.file(dir, "authz")))
    }

    @Test func theSuiteIsComplete() { #expect(sigv4Cases.count == 34) }

    /// The execute-api vector of SOURCES.md: the canonical URI keeps the stage.
    @Test func executeApiCanonicalRequest() {
        let r = SigV4Request(method: "GET", path: "/dev/orders/42", headers: [("Host", "a1b2c3d4e5.execute-api.us-east-1.amazonaws.com"), ("X-Amz-Date", "20150830T123600Z")])
        let s = SigV4.sign(r, credentials: Self.credentials, amzDate: "20150830T123600Z", region: "us-east-1", service: "execute-api")
        #expect(s.canonicalRequest == "GET\n/dev/orders/42\n\nhost:a1b2c3d4e5.execute-api.us-east-1.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        // A %2F sent on the wire is encoded again (policy.md §5.1).
        #expect(SigV4.canonicalURI("/dev/mypath%2Fnext") == "/dev/mypath%252Fnext")
    }
}
