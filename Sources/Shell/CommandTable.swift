import Foundation
import Gateway
import GatewayModel

/// One shell command: its name, a one-line summary for `help`, usage and examples for `help NAME`.
struct ShellCommand: Sendable {
    var name: String
    var usage: String
    var summary: String
    var details: String
    var run: @Sendable (ShellSession, [String]) throws -> Void
    /// The command reads its input verbatim (`ShellSession.rawArgs`), not as shell words.
    var rawInput = false
}

/// Commands available while stepping a request (`step`), with their one-letter forms.
enum StepAlias: String {
    case next, n, `continue`, c, inspect, i, quit, q
}

/// The command table: one place for names, help text and handlers (sqlite3's `.help` style).
enum CommandTable {
    static let all: [ShellCommand] = [
        ShellCommand(name: "help", usage: "help [COMMAND]", summary: "list commands, or show one command's usage and examples",
                     details: "  help            the command table\n  help send       usage and examples of one command\n  help trace      also lists the pipeline's stage names",
                     run: { s, a in try s.help(a) }),
        ShellCommand(name: "load", usage: "load FILE | load -", summary: "load a gateway model (YAML or JSON); the old one stays if it fails",
                     details: "  load sessions/models/status-codes-proxy.yaml\n  load -          then the model's YAML on the next lines, ended by an empty line\nPaths are relative to the current directory (in a session file: to the file's directory). Ctrl-C stops a long load.",
                     run: { s, _ in try s.loadCommand(raw: s.rawArgs) }, rawInput: true),
        ShellCommand(name: "reload", usage: "reload", summary: "read the model file and its plugins again after editing them (the old model stays if the new one fails)",
                     details: "  reload", run: { s, a in try s.reload(a) }),
        ShellCommand(name: "use", usage: "use [API]", summary: "choose the REST API that send and step go to (by id or name); list them",
                     details: "  use              list the model's REST APIs, the current one marked *\n  use rohkz08x02   send to that API's default endpoint from now on",
                     run: { s, a in try s.use(a) }),
        ShellCommand(name: "routes", usage: "routes", summary: "list the current API's resources, methods and integrations",
                     details: "  routes", run: { s, a in
                         guard a.isEmpty else { throw ShellError("routes takes no arguments", hint: "it lists the current API's methods") }
                         s.routes()
                     }),
        ShellCommand(name: "send", usage: "send METHOD PATH [-H 'K: V']... [-d BODY] [-i]",
                     summary: "send a request to the current API's default endpoint (PATH starts with the stage)",
                     details: "  send GET /dev/orders/42\n  send POST /dev/orders -H 'Content-Type: application/json' -d '{\"item\": \"book\", \"quantity\": 1}'\n  send GET /dev/orders -i        show the response headers too",
                     run: { s, a in try s.send(a) }),
        ShellCommand(name: "trace", usage: "trace [--aws | --cloudwatch | --json]",
                     summary: "show how the last request went through the pipeline",
                     details: "  trace               a tree, one line per stage, with the reasons\n  trace --aws         the execution log as the console's Test button prints it\n  trace --cloudwatch  the same request in CloudWatch's execution-log format\n  trace --json        the structured trace events",
                     run: { s, a in try s.trace(a) }),
        ShellCommand(name: "explain", usage: "explain", summary: "the decisions that shaped the last response, and why (policies: which statements matched and decided)",
                     details: "  send GET /dev/pets\n  explain", run: { s, a in try s.explain(a) }),
        ShellCommand(name: "step", usage: "step METHOD PATH [-H 'K: V']... [-d BODY]",
                     summary: "send a request one stage at a time (then next, continue, inspect PATH, quit)",
                     details: "  step GET /dev/orders/42\n  next | n          run the next stage\n  continue | c      run to the end\n  inspect PATH | i  show part of the request in flight: request, request.headers, event, response, …\n  quit | q          abandon the request",
                     run: { s, a in try s.step(a) }),
        ShellCommand(name: "break", usage: "break [STAGE]...", summary: "send stops before these stages and waits (next, continue, inspect, set, back); alone: list",
                     details: "  break integration-response\n  send GET /dev/orders/42\n  set integration.status 404\n  continue",
                     run: { s, a in try s.breakCommand(a) }),
        ShellCommand(name: "unbreak", usage: "unbreak [STAGE... | all]", summary: "remove breakpoints", details: "  unbreak integration-response\n  unbreak all",
                     run: { s, a in try s.unbreak(a) }),
        ShellCommand(name: "set", usage: "set PATH VALUE", summary: "while stepping: change the request in flight (a header, a body, the Lambda's answer, …)",
                     details: "  set request.headers.Accept text/html\n  set integration.responseBody '{\"statusCode\": 500, \"body\": \"boom\"}'\n  set integration.errorMessage 'Raising 400'\nThe change shows in the trace; a value a stage has already read needs `back` first.",
                     run: { s, a in try s.setCommand(a) }),
        ShellCommand(name: "back", usage: "back [N]", summary: "while stepping: rewind N stages (default 1) and run them again from there",
                     details: "  back\n  back 3\nThe clock, ids, token buckets and caches are restored; a Lua plugin's own state is not.",
                     run: { s, a in try s.back(a) }),
        ShellCommand(name: "diff", usage: "diff", summary: "the last two requests side by side, stage by stage", details: "  send GET /dev/orders/1\n  send GET /dev/orders/2\n  diff",
                     run: { s, a in try s.diff(a) }),
        ShellCommand(name: "next", usage: "next", summary: "while stepping: run the next stage", details: "  next   (or n)",
                     run: { s, a in try s.runStepCommand(.next, a) }),
        ShellCommand(name: "continue", usage: "continue", summary: "while stepping: run the remaining stages", details: "  continue   (or c)",
                     run: { s, a in try s.runStepCommand(.continue, a) }),
        ShellCommand(name: "inspect", usage: "inspect [PATH]", summary: "show part of the request in flight, or of the last request",
                     details: "  inspect request.headers\n  inspect event.requestContext.path\n  inspect response.status\nTop-level names: request, route, event, integration, response, trace, log",
                     run: { s, a in try s.inspect(a) }),
        ShellCommand(name: "quit", usage: "quit", summary: "while stepping: abandon the request", details: "  quit   (or q)",
                     run: { s, a in try s.runStepCommand(.quit, a) }),
        ShellCommand(name: "expect", usage: "expect WHAT [OP VALUE]", summary: "check the last response or trace; silent when it holds",
                     details: """
                       expect status == 400
                       expect header content-type == application/json
                       expect body == "{\\"status\\": \\"shipped\\"}"
                       expect body.items[0].id == 1
                       expect trace route.resource == /orders/{id}
                       expect log contains "Method completed with status: 200"
                       expect traffic.throttled == 0        (after `traffic`: sent ok throttled quotaExceeded forbidden
                                                              other retried attempts gaveUp p50 p90 p99 max)
                     Operators: == != contains matches exists absent < >. VALUE is a word or a "double-quoted" string (JSON escapes);
                     numbers compare as numbers; `matches` is a whole-value regular expression.
                     """,
                     run: { s, _ in try s.expect(raw: s.rawArgs) }),
        ShellCommand(name: "test-invoke", usage: "test-invoke METHOD RESOURCE [PATH] [-H 'K: V']... [-d BODY] [-s NAME=VALUE]...",
                     summary: "the console's Test button: run one method directly (no stage, authorizer or usage plan) and show its log",
                     details: """
                       test-invoke GET /orders/{id} /orders/42
                       test-invoke POST /orders -H 'Content-Type: application/json' -d '{"item": "book"}'
                       test-invoke GET f646q2                 the resource by id; no PATH: parameters read {id}
                       test-invoke GET /items -s backend=v2   with a stage variable
                     RESOURCE is the resource's path as in the model, or its id; PATH is pathWithQueryString.
                     """,
                     run: { s, a in try s.testInvoke(a) }),
        ShellCommand(name: "as", usage: "as NAME | anonymous", summary: "send the next requests as one of the model's identities (SigV4-signed), or unsigned",
                     details: "  as alice        sign with identity alice's access key (MODEL.md identities)\n  as anonymous    unsigned requests again",
                     run: { s, a in try s.asIdentity(a) }),
        ShellCommand(name: "whoami", usage: "whoami", summary: "who the shell's requests come from", details: "  whoami",
                     run: { s, _ in s.whoami() }),
        ShellCommand(name: "assume-role", usage: "assume-role ROLE [--session NAME] [--duration SECONDS]",
                     summary: "sts:AssumeRole as the current identity; later requests are signed with the role session's temporary credentials",
                     details: """
                       as bob
                       assume-role arn:aws:iam::111111111111:role/ApiInvoker --session role_session
                     ROLE is a role of the model's identities (its name or ARN). The role's trust policy must name the caller,
                     and across accounts the caller's own policies must allow sts:AssumeRole on the role. The session lasts
                     --duration seconds (default 3600); `as NAME` or `as anonymous` ends it.
                     """,
                     run: { s, a in try s.assumeRole(a) }),
        ShellCommand(name: "dig", usage: "dig [+short | +noall +answer] NAME [A | AAAA]",
                     summary: "what DNS answers for a name in the model (CNAME chains, the API Gateway and CloudFront names), as DiG 9.18 prints it",
                     details: "  dig www.example.com\n  dig +short www.example.com\nThe resolver is the simulated one: the model's `dns` records and the names of its APIs, custom domains and distributions.",
                     run: { s, a in try s.dig(a) }),
        ShellCommand(name: "dns", usage: "dns [set NAME CNAME|A|ALIAS VALUE | delete NAME]",
                     summary: "list or change the model's DNS records (as editing them at the registrar or in Route 53)",
                     details: "  dns\n  dns set www.example.com CNAME d-abcde12345.execute-api.us-east-1.amazonaws.com\n  dns delete www.example.com",
                     run: { s, a in try s.dnsCommand(a) }),
        ShellCommand(name: "openssl", usage: "openssl s_client -connect HOST:443 [-servername NAME] [-verify_hostname NAME] [-brief]",
                     summary: "the certificate an endpoint presents for an SNI name, as OpenSSL 3.0 prints it",
                     details: "  openssl s_client -connect www.example.com:443 -servername www.example.com\n  openssl s_client -brief -connect www.example.com:443 -servername www.example.com -verify_hostname www.example.com\nThe PEM block and the session details are not printed.",
                     run: { s, a in try s.openssl(a) }),
        ShellCommand(name: "curl", usage: "curl [-v] [-k] [-s] [-S] [-i] [-I] [-X METHOD] [-H 'K: V']... [-d DATA] [--tlsv1.2 | --tlsv1.3] [--tls-max V] URL",
                     summary: "a request by URL through DNS, CloudFront, TLS and custom domains, with curl 7.88's output and exit status (expect exit == 60)",
                     details: "  curl https://www.example.com/orders/42\n  curl -v https://www.example.com/orders/42\n  curl -k -i https://www.example.com/orders/42\nExit status: 0, 6 (could not resolve), 7 (could not connect), 35 (TLS version), 60 (certificate).",
                     run: { s, a in try s.curl(a) }),
        ShellCommand(name: "compare", usage: "compare METHOD PATH [-H 'K: V']... [-d BODY]",
                     summary: "HTTP APIs: one request to a route's Lambda under payload 1.0 and 2.0, side by side",
                     details: """
                       compare GET /v2/string      a bare string: 500 under 1.0, 200 inferred under 2.0
                       compare GET /v1/strict      the strict format: the same answer under both
                     The route's payloadFormatVersion is set to 1.0, then 2.0, in copies of the model; the session's
                     clock, ids and last request do not change (the function runs twice: plugin state may).
                     """,
                     run: { s, a in try s.compare(a) }),
        ShellCommand(name: "traffic", usage: "traffic METHOD PATH [-H 'K: V']... [--key KEY] --rate PER_SECOND (--duration D | --count N) [--clients N] [--arrival …] [--retries N …]",
                     summary: "send many requests on the virtual clock and count what happened (throttled, over quota, …)",
                     details: """
                       traffic GET /dev/orders/42 --key KEY --rate 100 --count 11                 a burst
                       traffic GET /dev/orders/42 --key KEY --rate 4 --duration 150s              past a quota
                       traffic GET /dev/orders/42 --key KEY --rate 4/s --duration 10s --clients 3 three clients, one key
                       traffic GET /dev/orders/42 --key KEY --rate 20 --count 50 --retries 5 --jitter full
                     Each client sends the same request at --rate per second (--count is per client too) and waits
                     for its previous request and that one's retries; clients run concurrently on the virtual clock.
                     Arrivals: --arrival constant (the default), poisson (random gaps, same mean) or bursts:N (N at
                     once, same mean rate). Retries of a 429: --retries N, --backoff exponential|fixed, --base 100ms,
                     --cap 20s, --jitter none|full|equal|decorrelated. --seed N seeds arrivals and jitter.
                     --key KEY is short for -H 'x-api-key: KEY'. Prints counts, latency percentiles (retry waits
                     included), attempts per second as a chart, and the first execution-log line of each refusal.
                     `trace` shows the last request; `expect traffic.ok == N` checks the counts.
                     """,
                     run: { s, a in try s.traffic(a) }),
        ShellCommand(name: "usage", usage: "usage [KEY]", summary: "what is left of the API keys' quotas and token buckets (like get-usage)",
                     details: "  usage\n  usage k1        one key, by id or value", run: { s, a in try s.usage(a) }),
        ShellCommand(name: "vtl", usage: "vtl [--body TEXT | --response] [-f FILE | TEMPLATE]",
                     summary: "render a mapping template with API Gateway's $input, $context, $util against the last request",
                     details: """
                       vtl {"id": "$input.params('id')"}          one line, against the last request
                       vtl --body '{"items": [1, 2]}' $input.path('$.items').size()
                       vtl --response $input.path('$.errorMessage')   the last integration response as $input
                       vtl -f templates/order.vtl                  a template file
                       vtl                                         then the template's lines, ending with an empty line
                     The template is everything after the options, verbatim. $input is the last request's body
                     (or --body, or with --response the last integration response); $input.params(), $context and
                     $stageVariables come from the last request. Null renders as nothing and equals "" (AWS's rules,
                     reference/mapping.md §4.5). Overrides the template sets are listed after the output.
                     """,
                     run: { s, _ in try s.vtl(raw: s.rawArgs) }, rawInput: true),
        ShellCommand(name: "plugins", usage: "plugins", summary: "the model's Lua plugins and what each registers (functions, backends, commands)",
                     details: "  plugins", run: { s, a in try s.pluginsCommand(a) }),
        ShellCommand(name: "plugin", usage: "plugin enable|disable FILE", summary: "switch a plugin's stage hooks (fault injection) on or off",
                     details: "  plugin disable faults.lua\n  plugin enable faults.lua", run: { s, a in try s.pluginCommand(a) }),
        ShellCommand(name: "lua", usage: "lua [EXPR | STATEMENTS]", summary: "evaluate Lua in the plugins' environment; alone: a Lua prompt (.exit leaves)",
                     details: "  lua 1 + 1\n  lua json.encode({a = 1})\n  lua\n  lua> function double(x)\n  lua>>   return 2 * x\n  lua>> end\n  lua> double(21)\n  lua> .exit\nResults show tab-joined, tables as JSON; print() output comes first. A handler's limits apply.",
                     run: { s, _ in try s.luaCommand(raw: s.rawArgs) }, rawInput: true),
        ShellCommand(name: "clock", usage: "clock [set TIME | advance DURATION]", summary: "show, set or advance the virtual clock",
                     details: "  clock\n  clock set 2026-03-05T12:00:00Z\n  clock advance 1.5s      (ms, s, m, h, d)",
                     run: { s, a in try s.clock(a) }),
        ShellCommand(name: "seed", usage: "seed N", summary: "set the seed of request ids and other generated values",
                     details: "  seed 42", run: { s, a in
                         guard a.count == 1, let n = UInt64(a[0]) else { throw ShellError("usage: seed N", hint: "a whole number, e.g. seed 42") }
                         try s.setSeed(n)
                     }),
        ShellCommand(name: "lessons", usage: "lessons", summary: "the six workshops, one per seed case", details: "  lessons\n  lesson 4",
                     run: { s, a in try s.lessons(a) }),
        ShellCommand(name: "lesson", usage: "lesson N | lesson quit", summary: "a guided lesson: each step explains, asks for a command, runs it and checks the result",
                     details: "  lesson 4\nIn a lesson: type the command shown; `hint` repeats it and says what is checked; `skip` runs it for you;\n`lesson quit` leaves. Other commands work as usual in between.",
                     run: { s, a in try s.lesson(a) }),
        ShellCommand(name: "exit", usage: "exit", summary: "leave gwsh (Ctrl-D too)", details: "  exit",
                     run: { s, _ in s.wantsExit = true }),
    ]

    static func find(_ name: String) -> ShellCommand? { all.first { $0.name == name } }
    static var names: [String] { all.map(\.name) }

    static func suggest(_ name: String) -> String? { Suggest.closest(to: name, in: names) }
}

extension ShellSession {
    func help(_ args: [String]) throws {
        if let name = args.first {
            guard let c = CommandTable.find(name) else {
                if let p = lua?.commands.first(where: { $0.name == name }) {
                    print("\(name) (from a plugin): \(p.help)")
                    return
                }
                throw ShellError("no command '\(name)'", hint: "type `help` for the list of commands")
            }
            print("usage: \(c.usage)")
            print(c.summary)
            print(c.details)
            if name == "trace" || name == "expect" {
                print("Stages (in AWS's order):")
                for st in StageName.allCases { print("  " + st.rawValue.padding(toLength: 22, withPad: " ", startingAt: 0) + st.summary) }
            }
            return
        }
        print("Commands (help COMMAND for usage and examples):")
        let width = (CommandTable.all.map(\.name.count).max() ?? 8) + 2
        for c in CommandTable.all { print("  " + c.name.padding(toLength: width, withPad: " ", startingAt: 0) + c.summary) }
        let fromPlugins = (lua?.commands ?? []).filter { CommandTable.find($0.name) == nil }
        if !fromPlugins.isEmpty {
            print("From the model's plugins:")
            for c in fromPlugins { print("  " + c.name.padding(toLength: width, withPad: " ", startingAt: 0) + c.help) }
        }
    }

    /// Words to complete at the start of a line.
    public static var commandNames: [String] { CommandTable.names }

    /// Tab completion: the candidates for the word before `cursor` (the line editor keeps those that start
    /// with it). Command names first; then what each command takes: HTTP methods and the current API's paths
    /// (stage first) for send/step, API ids and names for use, options for trace, clock and expect.
    public func completions(_ line: String, _ cursor: Int) -> [String] {
        let before = String(line.prefix(cursor))
        let words = before.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        let index = before.last.map { $0 == " " || $0 == "\t" } ?? true ? words.count : words.count - 1
        guard index > 0, let command = words.first else { return Self.commandNames }
        switch (command, index) {
        case ("send", 1), ("step", 1), ("traffic", 1), ("compare", 1): return ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"]
        case ("send", 2), ("step", 2), ("traffic", 2), ("compare", 2): return routePaths(method: words.count > 1 ? words[1].uppercased() : nil)
        case ("send", _) where words[index - 1] == "--via", ("step", _) where words[index - 1] == "--via": return env.world.vpcEndpoints.map(\.vpcEndpointId)
        case ("send", _), ("step", _): return ["-H", "-d", "-i", "--via", "--from"]
        case ("as", 1): return env.world.identities.map(\.name) + ["anonymous"]
        case ("plugin", 1): return ["enable", "disable"]
        case ("plugin", 2): return (lua?.registrationsByPlugin.keys.map { ($0 as NSString).lastPathComponent } ?? []).sorted()
        case ("lesson", 1): return (1...Lessons.files.count).map(String.init) + ["quit"]
        case ("break", _), ("unbreak", _): return StageName.allCases.map(\.rawValue) + (command == "unbreak" ? ["all"] : [])
        case ("set", 1): return ExchangeEdit.paths.map { $0.path.replacingOccurrences(of: "NAME", with: "") }
        case ("assume-role", 1): return env.world.identities.filter(\.isRole).map(\.name)
        case ("assume-role", _): return ["--session", "--duration"]
        case ("traffic", _) where words.count > index - 1 && words[index - 1] == "--arrival": return ["constant", "poisson", "bursts:"]
        case ("traffic", _) where words.count > index - 1 && words[index - 1] == "--jitter": return RetryPolicy.Jitter.allCases.map(\.rawValue)
        case ("traffic", _) where words.count > index - 1 && words[index - 1] == "--backoff": return ["exponential", "fixed"]
        case ("traffic", _):
            return ["-H", "-d", "--key", "--rate", "--duration", "--count", "--clients", "--arrival", "--retries", "--backoff", "--base", "--cap", "--jitter", "--seed"]
        case ("help", 1): return Self.commandNames + (lua?.commands.map(\.name) ?? [])
        case ("load", 1), ("vtl", _) where command == "load" || (words.count > index - 1 && words[index - 1] == "-f"):
            return filePaths(index < words.count ? words[index] : "")
        case ("use", 1): return env.world.restApis.flatMap { [$0.id, $0.name] }
        case ("trace", 1): return ["--aws", "--cloudwatch", "--json"]
        case ("clock", 1): return ["set", "advance"]
        case ("vtl", 1): return ["--body", "--response", "-f"]
        case ("test-invoke", 1): return ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "ANY"]
        case ("test-invoke", 2):
            return env.currentApi.map { api in api.resources.filter { !$0.methods.isEmpty }.map(\.path) } ?? []
        case ("expect", 1):
            // traffic.FIELD once the word reaches "traffic."; one entry for all of them before.
            let partial = index < words.count ? words[index] : ""
            if partial.hasPrefix("traffic.") { return Self.trafficFields.map { "traffic." + $0 } }
            return ["status", "header", "body", "trace", "log", "traffic."]
        case ("expect", 2) where words.count > 1 && words[1] == "trace": return StageName.allCases.map { $0.rawValue + "." }
        default: return []
        }
    }

    /// `/STAGE/path` for every method of the current API (path variables as written, to edit after Tab).
    /// Files and directories for a partly typed path (directories end with `/`), relative to the session's directory;
    /// model files (YAML, JSON) and templates first-class, hidden entries only when asked for.
    func filePaths(_ typed: String) -> [String] {
        let dirPart = typed.contains("/") ? String(typed[...typed.lastIndex(of: "/")!]) : ""
        let base = dirPart.isEmpty ? baseDirectory : resolve(dirPart)
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: base) else { return [] }
        let namePart = String(typed.dropFirst(dirPart.count))
        var out: [String] = []
        for e in entries.sorted() where e.hasPrefix(namePart) && (namePart.hasPrefix(".") || !e.hasPrefix(".")) {
            var isDir: ObjCBool = false
            FileManager.default.fileExists(atPath: (base as NSString).appendingPathComponent(e), isDirectory: &isDir)
            out.append(dirPart + e + (isDir.boolValue ? "/" : ""))
        }
        return out
    }

    func routePaths(method: String?) -> [String] {
        if let api = env.currentHttpApi {
            // HTTP APIs: each route's path, under each named stage and bare for $default.
            var out: [String] = []
            for stage in api.stages {
                let prefix = stage.stageName == "$default" ? "" : "/" + stage.stageName
                for r in api.routes where !r.isDefault && (method == nil || r.method == method || r.method == "ANY") {
                    out.append(prefix + (r.path == "/" && !prefix.isEmpty ? "" : r.path))
                }
            }
            return out
        }
        guard let api = env.currentApi else { return [] }
        var out: [String] = []
        for stage in api.stages {
            for r in api.resources where !r.methods.isEmpty {
                guard method == nil || r.methods.contains(where: { $0.httpMethod == method || $0.httpMethod == "ANY" }) else { continue }
                out.append("/" + stage.stageName + (r.path == "/" ? "" : r.path))
            }
        }
        return out
    }
}
