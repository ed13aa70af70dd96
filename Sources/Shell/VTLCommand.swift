import Foundation
import Gateway
import GatewayModel
import Templates

/// `vtl`: render a mapping template with API Gateway's variables, against the last request (or a given payload),
/// to see what a template does before putting it in a model (issue 5; reference/mapping.md §4).
extension ShellSession {
    struct VTLArgs {
        var payload: String?
        var response = false
        var file: String?
        var template = ""
    }

    /// Options come first, the template is the rest of the input verbatim (quotes and all; continuation lines
    /// included). `vtl` with options only starts a multi-line template that an empty line ends.
    static func parseVTL(_ raw: String) throws -> VTLArgs {
        var a = VTLArgs()
        var rest = Substring(raw)
        func skipBlanks() { while let c = rest.first, c == " " || c == "\t" { rest = rest.dropFirst() } }
        while true {
            skipBlanks()
            guard rest.hasPrefix("-") else { break }
            let (option, afterOption) = try ShellWords.firstWord(rest)
            switch option {
            case "--body", "-b", "-f", "--file":
                rest = afterOption
                skipBlanks()
                guard !rest.isEmpty, rest.first != "\n" else {
                    throw ShellError("\(option) needs a value", hint: option.hasPrefix("-f") || option == "--file" ? "vtl -f templates/order.vtl" : "vtl --body '{\"a\": 1}' $input.path('$.a')")
                }
                let (value, after) = try ShellWords.firstWord(rest)
                if option == "-f" || option == "--file" { a.file = value } else { a.payload = value }
                rest = after
            case "--response", "-r":
                a.response = true
                rest = afterOption
            default:
                // Not an option of vtl: the template starts here (`-` text is legal template text).
                a.template = String(rest)
                return a
            }
        }
        a.template = String(rest)
        return a
    }

    /// Whether a `vtl` input is complete: a multi-line template (nothing after the options on the first line)
    /// ends with an empty line.
    static func vtlInputIsComplete(_ text: String) -> Bool {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let first = lines.first, first.trimmingCharacters(in: .whitespaces).split(separator: " ").first == "vtl" else { return true }
        let raw = String(text.drop { $0 == " " || $0 == "\t" }.dropFirst(3))
        guard let args = try? parseVTL(raw), args.file == nil else { return true }
        let firstLineTemplate = args.template.split(separator: "\n", omittingEmptySubsequences: false).first ?? ""
        if !firstLineTemplate.trimmingCharacters(in: .whitespaces).isEmpty, lines.count == 1 { return true }
        if lines.count == 1 { return false }
        return lines.last?.trimmingCharacters(in: .whitespaces).isEmpty == true
    }

    func vtl(raw: String) throws {
        let args = try Self.parseVTL(raw)
        var source = args.template
        var name = "vtl"
        if let file = args.file {
            guard source.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw ShellError("give the template inline or with -f, not both")
            }
            let path = resolve(file)
            guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
                throw ShellError("cannot read \(file)", hint: FileManager.default.fileExists(atPath: path) ? "check its permissions" : "no such file")
            }
            source = text
            name = file
        } else {
            // An inline template: the text after the options; a multi-line one ends at the empty line.
            if source.hasPrefix("\n") { source.removeFirst() }
            while source.hasSuffix("\n") { source.removeLast() }
        }
        guard !source.isEmpty else {
            throw ShellError("usage: vtl [--body TEXT | --response] TEMPLATE", hint: "e.g. vtl $input.params('id'), or `vtl` alone and then the lines of a template ending with an empty line")
        }
        var x = lastExchange ?? Exchange(request: ClientRequest(method: "GET", rawPath: "/"), requestId: "", extendedRequestId: "", startMillis: env.clock.millis)
        let payload: String
        if let p = args.payload {
            payload = p
        } else if args.response {
            guard let last = lastExchange, let body = last.integrationResponseBody else {
                throw ShellError("the last request has no integration response body", hint: "send a request to a non-proxy integration first, or give --body")
            }
            payload = body
        } else {
            payload = lastExchange?.request.bodyText ?? ""
        }
        // Overrides start empty: the render shows only what this template sets.
        x.requestOverride = JSONObject()
        x.responseOverride = JSONObject()
        switch MappingTemplates.render(source, name: name, payload: payload, &x, env) {
        case .rendered(let out):
            print(out)
            for line in Self.overrideLines(x) { print(line) }
        case .failed(let e):
            let at = e.line > 0 ? "\(name):\(e.line):\(e.column): " : "\(name): "
            throw ShellError(at + e.javaClass + (e.message.isEmpty ? "" : ": " + e.message),
                             hint: e.kind == .parse ? "Velocity could not parse the template; on AWS this template fails every request" : "the template failed while rendering")
        }
    }

    /// What the render set in `$context.requestOverride` / `responseOverride`, one `-- name = value` line each.
    static func overrideLines(_ x: Exchange) -> [String] {
        var lines: [String] = []
        func walk(_ v: JSONValue, _ path: String) {
            if case .object(let o) = v {
                for (k, e) in o { walk(e, path + "." + k) }
            } else {
                lines.append("-- $context.\(path) = \(v.stringValue ?? v.serialized())")
            }
        }
        walk(.object(x.requestOverride), "requestOverride")
        walk(.object(x.responseOverride), "responseOverride")
        return lines
    }
}
