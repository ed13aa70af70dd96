import Foundation
@testable import Templates

/// One case of shared/conformance/velocity/*.json.
struct VelocityCase {
    let id: String
    let template: String
    let input: VelocityValue
    let expectedOutput: String?
    let expectedError: String?
}

enum VelocityCases {
    /// ../shared/conformance/velocity relative to the repository root (read at run time, never copied).
    static var directory: URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("../shared/conformance/velocity").standardized
    }

    static func load(_ file: String, in dir: URL? = nil) -> [VelocityCase]? {
        let url = (dir ?? directory).appendingPathComponent(file)
        guard let data = try? Data(contentsOf: url), let text = String(data: data, encoding: .utf8),
              case .list(let items)? = try? OracleJSON.parse(text) else { return nil }
        return items.items.compactMap { item in
            guard case .map(let m) = item, case .string(let id)? = m.get(.string("id")),
                  case .string(let template)? = m.get(.string("template")) else { return nil }
            var out: String?
            if case .string(let s)? = m.get(.string("expected_output")) { out = s }
            var err: String?
            if case .string(let s)? = m.get(.string("expected_error")) { err = s }
            return VelocityCase(id: id, template: template, input: m.get(.string("input")) ?? .null,
                                expectedOutput: out, expectedError: err)
        }
    }

    enum Outcome {
        case output(String)
        case error(VelocityError)
    }

    static func run(_ c: VelocityCase) -> Outcome {
        do {
            let t = try VelocityTemplate.parse(c.template, name: c.id)
            return .output(try t.render(OracleContext.make(input: c.input)))
        } catch {
            return .error(error)
        }
    }

    /// nil when the case passes, else a one-line description of the difference.
    static func check(_ c: VelocityCase) -> String? {
        let got = run(c)
        switch (got, c.expectedError) {
        case (.error(let e), let want?):
            return e.javaClass == want ? nil : "expected \(want), got \(e.javaClass): \(e.message)"
        case (.output(let o), let want?):
            return "expected \(want), got output \(short(o))"
        case (.error(let e), nil):
            return "expected \(short(c.expectedOutput ?? "")), got \(e)"
        case (.output(let o), nil):
            return o == c.expectedOutput ? nil : "expected \(short(c.expectedOutput ?? "")), got \(short(o))"
        }
    }

    static func short(_ s: String) -> String {
        var q = ""
        for ch in s.unicodeScalars.prefix(120) {
            switch ch {
            case "\n": q += "\\n"
            case "\r": q += "\\r"
            case "\t": q += "\\t"
            default: q.unicodeScalars.append(ch)
            }
        }
        return "\"" + q + (s.unicodeScalars.count > 120 ? "…" : "") + "\""
    }
}
