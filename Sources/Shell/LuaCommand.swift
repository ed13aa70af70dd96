import Foundation
import GatewayModel
import LuaHost

/// `lua EXPR` and the `lua` prompt (issue 11): Lua in the plugins' own environment — their globals, `json`,
/// `gateway` — with a handler's limits. Like lua.c: a line is tried as an expression first, results are shown
/// tab-joined (tables as JSON), and a statement left open continues on the next line (`lua>>`). `.exit` leaves.
extension ShellSession {
    func luaCommand(raw: String) throws {
        guard let host = lua else { throw ShellError("the current model has no Lua state", hint: "load a model (its plugins run in the Lua state)") }
        let source = raw.trimmingCharacters(in: .whitespaces)
        if source.isEmpty {
            luaBuffer = ""
            print("Lua prompt in the plugins' environment (their globals, json, gateway); .exit leaves")
            return
        }
        show(host.evaluate(source, nowMillis: env.clock.millis), incompleteHint: true)
    }

    /// A line typed at the `lua` prompt.
    func luaLine(_ line: String) {
        guard let buffer = luaBuffer else { return }
        if buffer.isEmpty, line.trimmingCharacters(in: .whitespaces) == ".exit" {
            luaBuffer = nil
            print("left the Lua prompt")
            return
        }
        guard let host = lua else {
            luaBuffer = nil
            print("error: the Lua state is gone (the model was reloaded without plugins)")
            return
        }
        let text = buffer.isEmpty ? line : buffer + "\n" + line
        let result = host.evaluate(text, nowMillis: env.clock.millis)
        if result == .incomplete {
            luaBuffer = text
            return
        }
        luaBuffer = ""
        show(result, incompleteHint: false)
    }

    private func show(_ result: LuaEvaluation, incompleteHint: Bool) {
        switch result {
        case .values(let text, let logs):
            for l in logs { print(l) }
            if !text.isEmpty { print(text) }
        case .failure(let message, let logs):
            for l in logs { print(l) }
            print("error: " + message)
        case .incomplete:
            print("error: the statement is not complete" + (incompleteHint ? " (type `lua` alone for a prompt that continues it on the next lines)" : ""))
        }
    }
}

extension ShellSession {
    /// A command a plugin registered with `gateway.command`: what it prints, then what it returns (a string as it
    /// is, anything else as JSON; nothing for nil). A failure is shown as an error, never a crash.
    func runPluginCommand(_ host: LuaHost, _ name: String, _ args: [String]) throws {
        let result = host.runCommand(name, args: args, nowMillis: env.clock.millis)
        for line in result.logs { print(line) }
        switch result.outcome {
        case .success(let payload):
            guard let value = try? JSONValue.parse(payload), !value.isNull else { return }
            print(value.stringValue ?? value.serialized())
        case .functionError(let error, _):
            throw ShellError("\(name): " + (error["errorMessage"]?.stringValue ?? error.serialized()), hint: "the command comes from a plugin (`plugins` lists them)")
        case .timedOut:
            throw ShellError("\(name): ran out of instructions (a handler's 3 seconds)", hint: "the command comes from a plugin (`plugins` lists them)")
        case .cancelled:
            print("cancelled (Ctrl-C)")
        }
    }

    /// `plugins`: each plugin file of the model and what it registers (Lambda functions, HTTP backends, commands).
    func pluginsCommand(_ args: [String]) throws {
        guard args.isEmpty else { throw ShellError("usage: plugins") }
        guard let host = lua else { print("no Lua state"); return }
        let byPlugin = host.registrationsByPlugin
        if env.world.plugins.isEmpty, byPlugin.isEmpty { print("the model loads no plugins"); return }
        let files = env.world.plugins.map(\.path) + byPlugin.keys.filter { k in !env.world.plugins.contains { $0.path == k } }.sorted()
        for file in files {
            let names = byPlugin[file] ?? []
            print(file)
            let functions = names.filter { !$0.contains(":") }
            let backends = names.filter { $0.hasPrefix("backend:") }.map { String($0.dropFirst("backend:".count)) }
            let commands = names.filter { $0.hasPrefix("command:") }.map { String($0.dropFirst("command:".count)) }
            // hook:PHASE:STAGE:PLUGIN:N → PHASE:STAGE
            let hooks = names.filter { $0.hasPrefix("hook:") }.map { $0.split(separator: ":").dropFirst().prefix(2).joined(separator: ":") }
            if !functions.isEmpty { print("  Lambda functions: " + functions.joined(separator: ", ")) }
            if !backends.isEmpty { print("  HTTP backends: " + backends.joined(separator: ", ")) }
            for c in commands { print("  command \(c): " + (host.commands.first { $0.name == c }?.help ?? "")) }
            let mappers = names.filter { $0.hasPrefix("mapper:") }.map { String($0.dropFirst("mapper:".count)) }
            if !mappers.isEmpty { print("  mappers: " + mappers.joined(separator: ", ")) }
            if !hooks.isEmpty { print("  hooks: " + hooks.joined(separator: ", ") + (host.disabledPlugins.contains(file) ? "  (disabled: `plugin enable \(file)`)" : "")) }
            if names.isEmpty { print("  (registers nothing)") }
        }
    }
}

extension ShellSession {
    /// `load FILE`, or `load -` with the model's YAML on the lines after it (the continuation prompt reads them up
    /// to an empty line, as `vtl` does).
    func loadCommand(raw: String) throws {
        let lines = raw.split(separator: "\n", omittingEmptySubsequences: false)
        let first = (lines.first.map(String.init) ?? "").trimmingCharacters(in: .whitespaces)
        if first == "-" {
            let yaml = lines.dropFirst().joined(separator: "\n")
            guard !yaml.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw ShellError("load -: no model typed", hint: "type the YAML on the lines after `load -`, then an empty line")
            }
            try loadModel(path: "(typed model)", inlineText: yaml)
            return
        }
        let words: [String]
        do { words = try ShellWords.split(first) } catch { throw ShellError(error.message, hint: "close the quote") }
        guard words.count == 1, lines.count == 1 else { throw ShellError("usage: load FILE | load -", hint: "one model file, e.g. load sessions/models/faulty.yaml") }
        try loadModel(path: words[0])
    }

    /// Whether typed input is complete: `vtl` and `load -` read on continuation lines up to an empty line.
    static func inputIsComplete(_ text: String) -> Bool {
        let first = text.split(separator: "\n", omittingEmptySubsequences: false).first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        if first == "load -" {
            return text.contains("\n") && text.split(separator: "\n", omittingEmptySubsequences: false).last?.trimmingCharacters(in: .whitespaces).isEmpty == true
        }
        return vtlInputIsComplete(text)
    }
}

extension ShellSession {
    /// `plugin enable|disable FILE`: switch a plugin's stage hooks (fault injection) on or off; its Lambda functions,
    /// backends and commands keep working.
    func pluginCommand(_ args: [String]) throws {
        guard args.count == 2, args[0] == "enable" || args[0] == "disable" else {
            throw ShellError("usage: plugin enable|disable FILE", hint: "`plugins` lists the files")
        }
        guard let host = lua else { throw ShellError("no Lua state") }
        let files = Array(host.registrationsByPlugin.keys)
        guard let file = files.first(where: { $0 == args[1] }) ?? files.first(where: { $0.hasSuffix("/" + args[1]) || ($0 as NSString).lastPathComponent == args[1] }) else {
            throw ShellError("no plugin '\(args[1])'", hint: "plugins: " + files.sorted().joined(separator: ", "))
        }
        host.setPlugin(file, enabled: args[0] == "enable")
        env.hooks = host.hasAnyHooks ? host : nil
        print("\(file): hooks \(args[0])d")
    }
}
