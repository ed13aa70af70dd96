import Foundation
import Gateway
import GatewayModel

/// `dig`, `openssl s_client` and `curl` against the simulated network (reference/domains.md §4, §6): what the real
/// tools print — DiG 9.18.49, OpenSSL 3.0.19 and curl 7.88.1 as recorded in `edge-recordings/` — for the model's DNS,
/// certificates, custom domains and CloudFront distributions.
extension ShellSession {
    // MARK: - dig

    func dig(_ args: [String]) throws {
        var short = false, answerOnly = false
        var name: String?
        var type = "A"
        for a in args {
            switch a {
            case "+short": short = true
            case "+noall": answerOnly = true
            case "+answer": break
            case "A", "AAAA", "CNAME": type = a
            default:
                guard !a.hasPrefix("+"), !a.hasPrefix("@"), name == nil else {
                    throw ShellError("dig: '\(a)' is not simulated", hint: "dig [+short | +noall +answer] NAME [A | AAAA]; the resolver is the simulated one")
                }
                name = a
            }
        }
        guard let name else { throw ShellError("usage: dig [+short | +noall +answer] NAME [A | AAAA]", hint: "e.g. dig www.example.com") }
        let net = EdgeNetwork(world: env.world)
        let answer = net.resolve(name)
        // Only A records exist in gwsh's DNS: an AAAA query is answered by the CNAME chain alone (domains.md §4.3 records
        // the no-AAAA answer of a d-… name as NOERROR with no records).
        let records = type == "AAAA" ? answer.records.filter { $0.type == "CNAME" } : answer.records
        lastExitCode = 0
        if short {
            for r in records { print(r.type == "A" ? r.value : r.value + ".") }
            return
        }
        if answerOnly {
            for r in records { print(DigFormat.record(r)) }
            return
        }
        let status = answer.nxdomain && records.isEmpty ? "NXDOMAIN" : "NOERROR"
        let id = Int(env.ids.hex(4), radix: 16) ?? 0
        print("")
        print("; <<>> DiG 9.18.49-1~deb12u3-Debian <<>> \(args.joined(separator: " "))")
        print(";; global options: +cmd")
        print(";; Got answer:")
        print(";; ->>HEADER<<- opcode: QUERY, status: \(status), id: \(id)")
        print(";; flags: qr rd ra; QUERY: 1, ANSWER: \(records.count), AUTHORITY: 0, ADDITIONAL: 1")
        print("")
        print(";; OPT PSEUDOSECTION:")
        print("; EDNS: version: 0, flags:; udp: 1232")
        print(";; QUESTION SECTION:")
        print(DigFormat.question(answer.question, type: type))
        if !records.isEmpty {
            print("")
            print(";; ANSWER SECTION:")
            for r in records { print(DigFormat.record(r)) }
        }
        print("")
        print(";; Query time: 0 msec")
        print(";; SERVER: 127.0.0.53#53(127.0.0.53) (UDP)")
        print(";; WHEN: \(VirtualClock(millis: env.clock.millis).dateCommand)")
        print(";; MSG SIZE  rcvd: \(DigFormat.messageSize(question: answer.question, records: records))")
        print("")
    }

    // MARK: - openssl s_client

    func openssl(_ args: [String]) throws {
        guard args.first == "s_client" else {
            throw ShellError("only `openssl s_client` is simulated", hint: "openssl s_client -connect HOST:443 -servername HOST [-verify_hostname HOST] [-brief]")
        }
        var connect: String?, servername: String?, verifyHost: String?, brief = false, noServername = false
        var i = 1
        while i < args.count {
            let a = args[i]
            func value() throws -> String {
                guard i + 1 < args.count else { throw ShellError("openssl s_client: \(a) needs a value") }
                i += 1
                return args[i]
            }
            switch a {
            case "-connect": connect = try value()
            case "-servername": servername = try value()
            case "-verify_hostname": verifyHost = try value()
            case "-brief": brief = true
            case "-noservername": noServername = true
            default: throw ShellError("openssl s_client: '\(a)' is not simulated", hint: "-connect HOST:PORT, -servername NAME, -verify_hostname NAME, -brief, -noservername")
            }
            i += 1
        }
        guard let connect else { throw ShellError("usage: openssl s_client -connect HOST:443 [-servername HOST] [-verify_hostname HOST] [-brief]") }
        let hostPort = connect.split(separator: ":")
        let host = String(hostPort.first ?? "")
        let net = EdgeNetwork(world: env.world)
        let isAddress = DnsRecord.isIPv4(host)
        let address = isAddress ? host : net.resolve(host).address
        guard let address else {
            print("\(env.ids.hex(12)):error:10080002:BIO routines:BIO_lookup_ex:system lib:../crypto/bio/bio_addr.c:738:Name or service not known")
            print("connect:errno=0")
            lastExitCode = 1
            return
        }
        guard let (name, endpoint) = net.endpoint(atAddress: address), hostPort.count < 2 || hostPort[1] == "443" else {
            print("connect:errno=111")
            lastExitCode = 1
            return
        }
        // OpenSSL 3 sends the -connect host as SNI unless told otherwise (domains.md §6.3).
        let sni = noServername ? nil : (servername ?? (isAddress ? nil : host))
        let cert = net.certificate(at: endpoint, sni: sni)
        let mismatch = verifyHost.map { !cert.covers($0) } ?? false
        lastExitCode = 0
        let subject = "CN = " + cert.subject
        let intermediate = cert.issuer, root = "C = US, O = Amazon, CN = Amazon Root CA 1"
        if brief {
            if mismatch {
                print("depth=0 \(subject)")
                print("verify error:num=62:hostname mismatch")
            }
            print("CONNECTION ESTABLISHED")
            print("Protocol version: TLSv1.3")
            print("Ciphersuite: TLS_AES_256_GCM_SHA384")
            print("Peer certificate: \(subject)")
            print("Hash used: SHA256")
            print("Signature type: RSA-PSS")
            if mismatch { print("Verification error: hostname mismatch") } else {
                print("Verification: OK")
                if let v = verifyHost { print("Verified peername: \(v)") }
            }
            print("Server Temp Key: X25519, 253 bits")
            print("DONE")
            return
        }
        print("CONNECTED(00000003)")
        if mismatch {
            print("depth=0 \(subject)")
            print("verify error:num=62:hostname mismatch")
            print("verify return:1")
        }
        print("depth=2 \(root)")
        print("verify return:1")
        print("depth=1 \(intermediate)")
        print("verify return:1")
        print("depth=0 \(subject)")
        print("verify return:1")
        print("---")
        print("Certificate chain")
        let validity = "v:NotBefore: \(VirtualClock(millis: cert.notBefore).opensslDate) GMT; NotAfter: \(VirtualClock(millis: cert.notAfter).opensslDate) GMT"
        print(" 0 s:\(subject)")
        print("   i:\(intermediate)")
        print("   a:PKEY: rsaEncryption, 2048 (bit); sigalg: RSA-SHA256")
        print("   \(validity)")
        print(" 1 s:\(intermediate)")
        print("   i:\(root)")
        print("   a:PKEY: rsaEncryption, 2048 (bit); sigalg: RSA-SHA256")
        print("---")
        print("Server certificate")
        print("subject=\(subject)")
        print("issuer=\(intermediate)")
        print("---")
        print(mismatch ? "Verification error: hostname mismatch" : "Verification: OK")
        if !mismatch, let v = verifyHost { print("Verified peername: \(v)") }
        print("---")
        print("New, TLSv1.3, Cipher is TLS_AES_256_GCM_SHA384")
        print("Verify return code: \(mismatch ? "62 (hostname mismatch)" : "0 (ok)")")
        print("---")
        print("DONE")
        _ = name
    }

    // MARK: - curl

    struct CurlOptions {
        var verbose = false, insecure = false, silent = false, showError = false, include = false, head = false
        var method: String?
        var headers = HeaderFields()
        var body: [UInt8]?
        var url: String?
        var tlsMin = EdgeNetwork.TLSVersion.tls1_2, tlsMax = EdgeNetwork.TLSVersion.tls1_3
    }

    func curl(_ args: [String]) throws {
        var o = CurlOptions()
        var i = 0
        while i < args.count {
            let a = args[i]
            func value() throws -> String {
                guard i + 1 < args.count else { throw ShellError("curl: option \(a): requires parameter") }
                i += 1
                return args[i]
            }
            switch a {
            case "-v", "--verbose": o.verbose = true
            case "-k", "--insecure": o.insecure = true
            case "-s", "--silent": o.silent = true
            case "-S", "--show-error": o.showError = true
            case "-sS", "-Ss": o.silent = true; o.showError = true
            case "-i", "--include": o.include = true
            case "-I", "--head": o.head = true; o.method = "HEAD"
            case "-X", "--request": o.method = try value()
            case "-H", "--header":
                let (name, v) = try Self.headerArgument(try value())
                o.headers.add(name, v)
            case "-d", "--data": o.body = Array(try value().utf8)
            case "--tlsv1.2": o.tlsMin = .tls1_2
            case "--tlsv1.3": o.tlsMin = .tls1_3
            case "--tls-max":
                let v = try value()
                guard let t = ["1.0": EdgeNetwork.TLSVersion.tls1_0, "1.1": .tls1_1, "1.2": .tls1_2, "1.3": .tls1_3][v] else { throw ShellError("curl: --tls-max takes 1.0, 1.1, 1.2 or 1.3") }
                o.tlsMax = t
            default:
                guard !a.hasPrefix("-"), o.url == nil else {
                    throw ShellError("curl: option \(a) is not simulated", hint: "-v -k -s -S -i -I -X METHOD -H 'K: V' -d DATA --tlsv1.2 --tlsv1.3 --tls-max V URL")
                }
                o.url = a
            }
            i += 1
        }
        guard let url = o.url else { throw ShellError("curl: no URL specified!", hint: "curl [-v] [-k] [-i] [-H 'K: V'] https://www.example.com/path") }
        var r = URLRequest(method: o.method ?? (o.body != nil ? "POST" : "GET"), url: url, headers: o.headers, body: o.body)
        guard r.parts != nil else { throw ShellError("curl: (3) URL using bad/illegal format or missing URL", hint: "https://HOST/PATH") }
        r.verifyCertificate = !o.insecure
        r.tlsMin = o.tlsMin
        r.tlsMax = o.tlsMax
        if !r.headers.contains("User-Agent") { r.headers.add("User-Agent", "curl/7.88.1") }
        if !r.headers.contains("Accept") { r.headers.add("Accept", "*/*") }
        if o.body != nil, !r.headers.contains("Content-Type") { r.headers.add("Content-Type", "application/x-www-form-urlencoded") }
        let x = env.send(url: r)
        lastExchange = x
        for line in CurlFormat.render(x, r, o) { print(line) }
        lastExitCode = CurlFormat.exitCode(x)
    }

    /// `send METHOD URL …`: the request as a browser would make it; a refused certificate shows the browser's message.
    func sendURL(_ r: URLRequest, include: Bool) {
        let start = env.clock.millis
        let x = env.send(url: r)
        lastExchange = x
        if case .certificate(let problem, let host)? = x.edgeInfo?.failure, let cert = x.edgeInfo?.certificate {
            switch problem {
            case .nameMismatch:
                // The browser's message for the seed's case, verbatim [SEED] (domains.md §4).
                print("error: This server could not prove that it is \(host); its security certificate is from \(cert.subject). This may be caused by a misconfiguration or an attacker intercepting your connection.")
            case .expired: print("error: the certificate of \(host) (\(cert.subject)) expired at \(VirtualClock(millis: cert.notAfter).iso8601)")
            case .notYetValid: print("error: the certificate of \(host) (\(cert.subject)) is not valid yet")
            }
            return
        }
        renderOutcome(x, elapsed: env.clock.millis - start, include: include)
    }
}

/// DiG's presentation format (BIND's column rules: TTL at 24, class at 32, type at 40, data at 48, tab width 8; a
/// field that starts past its column is preceded by one space) and message size (dnsmasq's compression, as recorded:
/// owner names point back, data names are written out) — domains.md §4.3 [LOCAL 07, 08].
enum DigFormat {
    static func indent(_ line: inout String, column: inout Int, to target: Int) {
        var to = target
        if to < column + 1 { to = column + 1 }
        let tabs = to / 8 - column / 8
        if tabs > 0 {
            line += String(repeating: "\t", count: tabs)
            column = (to / 8) * 8
        }
        line += String(repeating: " ", count: to - column)
        column = to
    }

    static func record(_ r: EdgeNetwork.DnsRecordAnswer) -> String {
        var line = r.name + ".", column = line.count
        indent(&line, column: &column, to: 24)
        line += String(r.ttl); column += String(r.ttl).count
        indent(&line, column: &column, to: 32)
        line += "IN"; column += 2
        indent(&line, column: &column, to: 40)
        line += r.type; column += r.type.count
        indent(&line, column: &column, to: 48)
        return line + (r.type == "A" ? r.value : r.value + ".")
    }

    static func question(_ name: String, type: String) -> String {
        var line = ";" + name + ".", column = line.count
        indent(&line, column: &column, to: 32)
        line += "IN"; column += 2
        indent(&line, column: &column, to: 40)
        return line + type
    }

    static func wireLength(_ name: String) -> Int { name.split(separator: ".").reduce(1) { $0 + $1.utf8.count + 1 } }

    static func messageSize(question: String, records: [EdgeNetwork.DnsRecordAnswer]) -> Int {
        var size = 12 + wireLength(question) + 4 + 11  // header, question, OPT
        for r in records {
            size += 2 + 10  // owner name as a pointer, type/class/ttl/length
            size += r.type == "A" ? 4 : wireLength(r.value)
        }
        return size
    }
}

/// curl 7.88.1's output (domains.md §4.1, §6.1 [LOCAL 02–04]).
enum CurlFormat {
    static let helpText = [
        "More details here: https://curl.se/docs/sslcerts.html",
        "",
        "curl failed to verify the legitimacy of the server and therefore could not",
        "establish a secure connection to it. To learn more about this situation and",
        "how to fix it, please visit the web page mentioned above.",
    ]

    static func exitCode(_ x: Exchange) -> Int {
        switch x.edgeInfo?.failure {
        case .couldNotResolve?: return 6
        case .couldNotConnect?: return 7
        case .tlsProtocolVersion?: return 35
        case .certificate?: return 60
        case nil: return x.response == nil ? 1 : 0
        }
    }

    static func errorLines(_ x: Exchange) -> [String] {
        switch x.edgeInfo?.failure {
        case .couldNotResolve(let host)?: return ["curl: (6) Could not resolve host: \(host)"]
        case .couldNotConnect(let host, let port)?: return ["curl: (7) Failed to connect to \(host) port \(port) after 0 ms: Couldn't connect to server"]
        case .tlsProtocolVersion?: return ["curl: (35) OpenSSL/3.0.19: error:0A00042E:SSL routines::tlsv1 alert protocol version"]
        case .certificate(.nameMismatch, let host)?: return ["curl: (60) SSL: no alternative certificate subject name matches target host name '\(host)'"] + helpText
        case .certificate(.expired, _)?: return ["curl: (60) SSL certificate problem: certificate has expired"] + helpText
        case .certificate(.notYetValid, _)?: return ["curl: (60) SSL certificate problem: certificate is not yet valid"] + helpText
        case nil: return x.connectionError.map { ["curl: (7) \($0)"] } ?? []
        }
    }

    static func render(_ x: Exchange, _ r: URLRequest, _ o: ShellSession.CurlOptions) -> [String] {
        var out: [String] = []
        let parts = r.parts
        let host = parts?.host ?? ""
        let info = x.edgeInfo
        if o.verbose {
            if let a = info?.address {
                out.append("*   Trying \(a):\(parts?.port ?? 443)...")
                if case .couldNotConnect? = info?.failure {} else {
                    out.append("* Connected to \(host) (\(a)) port \(parts?.port ?? 443) (#0)")
                }
            }
            if let cert = info?.certificate {
                out += [
                    "* ALPN: offers h2,http/1.1",
                    "* TLSv1.3 (OUT), TLS handshake, Client hello (1):",
                    "*  CAfile: /etc/ssl/certs/ca-certificates.crt",
                    "*  CApath: /etc/ssl/certs",
                    "* TLSv1.3 (IN), TLS handshake, Server hello (2):",
                    "* TLSv1.3 (IN), TLS handshake, Encrypted Extensions (8):",
                    "* TLSv1.3 (IN), TLS handshake, Certificate (11):",
                    "* TLSv1.3 (IN), TLS handshake, CERT verify (15):",
                    "* TLSv1.3 (IN), TLS handshake, Finished (20):",
                    "* TLSv1.3 (OUT), TLS change cipher, Change cipher spec (1):",
                    "* TLSv1.3 (OUT), TLS handshake, Finished (20):",
                    "* SSL connection using TLSv1.3 / TLS_AES_256_GCM_SHA384",
                    "* ALPN: server accepted h2",
                    "* Server certificate:",
                    "*  subject: CN=\(cert.subject)",
                    "*  start date: \(VirtualClock(millis: cert.notBefore).opensslDate) GMT",
                    "*  expire date: \(VirtualClock(millis: cert.notAfter).opensslDate) GMT",
                ]
                let issuer = cert.issuer.replacingOccurrences(of: " = ", with: "=").replacingOccurrences(of: ", ", with: "; ")
                if case .certificate(.nameMismatch, _)? = info?.failure {
                    out.append("*  subjectAltName does not match \(host)")
                    out.append("* SSL: no alternative certificate subject name matches target host name '\(host)'")
                    out.append("* Closing connection 0")
                } else if info?.failure == nil {
                    // With -k curl checks no name (domains.md §4.1: no hostname line); the Amazon chain itself verifies.
                    if r.verifyCertificate, let matched = cert.names.first(where: { Certificate.matches(pattern: $0, host: host) }) {
                        out.append("*  subjectAltName: host \"\(host)\" matched cert's \"\(matched)\"")
                    }
                    out.append("*  issuer: \(issuer)")
                    out.append("*  SSL certificate verify ok.")
                }
            }
            if let resp = x.response {
                let path = parts?.path ?? "/"
                out.append("> \(r.method) \(path) HTTP/2")
                out.append("> Host: \(r.headers["Host"] ?? host)")
                for (k, v) in r.headers where k.lowercased() != "host" { out.append("> \(k.lowercased()): \(v)") }
                out.append("> ")
                out.append("< HTTP/2 \(resp.status) ")
                for (k, v) in resp.headers { out.append("< \(k.lowercased()): \(v)") }
                out.append("< ")
            }
        }
        if info?.failure != nil || (x.response == nil && x.connectionError != nil) {
            if !o.silent || o.showError { out += errorLines(x) }
            return out
        }
        guard let resp = x.response else { return out }
        if (o.include || o.head) && !o.verbose {
            // HTTP/2 with lower-case header names, as API Gateway answers curl (rest-request-flow.md §4.1 [REC U1]).
            out.append("HTTP/2 \(resp.status) ")
            for (k, v) in resp.headers { out.append("\(k.lowercased()): \(v)") }
            out.append("")
        }
        let text = resp.bodyText
        if !o.head, !text.isEmpty {
            out += text.hasSuffix("\n") ? text.dropLast().components(separatedBy: "\n") : text.components(separatedBy: "\n")
        }
        return out
    }
}

extension VirtualClock {
    /// `Jan  1 00:00:00 2026` (OpenSSL's and curl's certificate dates; the day is padded with a space).
    var opensslDate: String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "MMM d HH:mm:ss yyyy"
        let s = f.string(from: Date(timeIntervalSince1970: Double(millis) / 1000))
        let parts = s.split(separator: " ", maxSplits: 2)
        guard parts.count == 3 else { return s }
        return parts[0] + " " + (parts[1].count == 1 ? " " : "") + parts[1] + " " + parts[2]
    }

    /// `Thu Mar 05 12:00:00 UTC 2026` (dig's `;; WHEN:`).
    var dateCommand: String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "EEE MMM dd HH:mm:ss 'UTC' yyyy"
        return f.string(from: Date(timeIntervalSince1970: Double(millis) / 1000))
    }
}

extension ShellSession {
    /// `dns`: list the model's records; `dns set NAME CNAME|A|ALIAS VALUE` and `dns delete NAME` change them, as editing
    /// the record at the registrar or in Route 53 would (domains.md §4.4).
    func dnsCommand(_ args: [String]) throws {
        guard let verb = args.first else {
            let records = env.world.edge.dns.values.sorted { $0.name < $1.name }
            if records.isEmpty { print("(no DNS records in the model; the APIs', custom domains' and distributions' own names resolve)") }
            for r in records {
                switch r.value {
                case .cname(let t): print("\(r.name)  CNAME  \(t)  (ttl \(r.ttl))")
                case .alias(let t): print("\(r.name)  ALIAS  \(t)")
                case .a(let list): print("\(r.name)  A      \(list.joined(separator: ", "))  (ttl \(r.ttl))")
                }
            }
            return
        }
        switch verb {
        case "set":
            guard args.count == 4 else { throw ShellError("usage: dns set NAME CNAME|A|ALIAS VALUE", hint: "dns set www.example.com CNAME d-abcde12345.execute-api.us-east-1.amazonaws.com") }
            let name = DnsRecord.normalized(args[1]), target = DnsRecord.normalized(args[3])
            let value: DnsRecord.Value
            switch args[2].uppercased() {
            case "CNAME":
                guard name.split(separator: ".").count > 2 else { throw ShellError("\(name) is a zone apex, which cannot be a CNAME", hint: "use ALIAS at the apex (domains.md §2.1 rule 3)") }
                value = .cname(target)
            case "ALIAS": value = .alias(target)
            case "A":
                guard DnsRecord.isIPv4(target) else { throw ShellError("'\(args[3])' is not an IPv4 address") }
                value = .a([target])
            default: throw ShellError("record type \(args[2]) is not simulated", hint: "CNAME, A or ALIAS")
            }
            let old = env.world.edge.dns[name]
            env.world.edge.dns[name] = DnsRecord(name: name, value: value, ttl: old?.ttl ?? 300, location: old?.location ?? SourceLocation(file: "shell", line: 0, column: 0))
            print("\(name) now \(args[2].uppercased()) \(target)")
        case "delete":
            guard args.count == 2 else { throw ShellError("usage: dns delete NAME") }
            guard env.world.edge.dns.removeValue(forKey: DnsRecord.normalized(args[1])) != nil else { throw ShellError("no record for \(args[1])", hint: "`dns` lists them") }
            print("deleted \(args[1])")
        default:
            throw ShellError("unknown dns subcommand '\(verb)'", hint: "dns, dns set NAME CNAME|A|ALIAS VALUE, dns delete NAME")
        }
    }
}
