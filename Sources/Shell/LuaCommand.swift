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
        show(host.evaluate(source), incompleteHint: true)
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
        let result = host.evaluate(text)
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
