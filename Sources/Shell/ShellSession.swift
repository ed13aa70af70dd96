import CShims
import Foundation
import Gateway
import GatewayModel
import LuaHost
import Sessions

/// A command's failure as the user sees it: `error: message` and, where it helps, a hint.
struct ShellError: Error {
    var message: String
    var hint: String?
    init(_ message: String, hint: String? = nil) {
        self.message = message
        self.hint = hint
    }
    var text: String { "error: \(message)" + (hint.map { "\n  hint: \($0)" } ?? "") }
}

/// One shell session: the loaded model, the Lua plugins, the virtual clock and the last request.
/// Implements `CommandRunner`, so session files drive exactly what a user types.
public final class ShellSession: CommandRunner {
    var env: GatewayEnvironment
    var lua: LuaHost?
    /// Where relative paths resolve (the session file's directory, or the working directory).
    var baseDirectory: String
    var modelDisplayName: String
    /// The model file `reload` reads again (nil: the embedded default model).
    var loadedModelPath: String?
    var lastExchange: Exchange? {
        didSet { if let old = oldValue { previousExchange = old } }
    }
    /// The request before the last one (`diff`).
    var previousExchange: Exchange?
    /// The `lua` prompt: nil when not at it; the statement typed so far while it continues.
    var luaBuffer: String?
    /// The guided lesson in progress (`lesson N`).
    var lessonState: LessonState?
    /// Stages that `send` stops before (`break STAGE`).
    var breakpoints: [StageName] = []
    /// The identity requests are signed as (`as NAME`); nil: anonymous.
    var identityName: String?
    /// The role session requests are signed with (`assume-role`), instead of `identityName`'s own keys.
    var roleSession: TemporaryCredentials?
    /// The exit status of the last `curl`, `dig` or `openssl` (`expect exit == 60`).
    var lastExitCode: Int?
    /// The Cognito token of a Cognito identity, minted when `as` chose it.
    var cognitoToken: String?
    /// The last `traffic` run, for `expect traffic.FIELD`.
    var lastTraffic: TrafficReport?
    var stepper: Stepper?
    var seed: UInt64 = 0
    var output: [String] = []
    /// The command line after its first word, unsplit (for `expect`'s quoted values).
    var rawArgs = ""
    public internal(set) var wantsExit = false

    /// A fresh session on the embedded default model (SESSIONS.md: every session starts alike).
    public init(baseDirectory: String = FileManager.default.currentDirectoryPath) {
        self.baseDirectory = baseDirectory
        self.modelDisplayName = DefaultModel.name
        // The embedded model is part of the binary; a failure to load it is a bug caught by the tests.
        let world = (try? ModelLoader.load(text: DefaultModel.yaml, file: DefaultModel.name, baseDirectory: nil)) ?? GatewayWorld()
        lua = try? Self.makeLua(world: world, seed: 0, embedded: true)
        env = Self.makeEnvironment(world: world, clock: .sessionStart, ids: IdGenerator(seed: 0), lambda: lua)
    }

    /// The environment of a model: Ctrl-C (the SIGINT flag) cancels its requests.
    static func makeEnvironment(world: GatewayWorld, clock: VirtualClock, ids: IdGenerator, lambda: LuaHost?) -> GatewayEnvironment {
        let env = GatewayEnvironment(world: world, clock: clock, seed: ids.seed, lambda: lambda)
        env.ids = ids
        env.isCancelled = { gwsh_interrupt_pending() != 0 }
        if let lambda, lambda.hasAnyHooks { env.hooks = lambda }
        return env
    }

    /// The prompt: the current API's name, or `gwsh`; `step` while a request is being stepped.
    public var prompt: String {
        if let b = luaBuffer { return b.isEmpty ? "lua> " : "lua>> " }
        if stepper != nil { return "step> " }
        if let l = lessonState { return "lesson \(l.lesson.number) \(l.index + 1)/\(l.lesson.steps.count)> " }
        return (env.currentApi?.name ?? "gwsh") + "> "
    }

    public func execute(_ command: String) -> CommandOutcome {
        output = []
        var expectationFailure: String?
        var runtimeError: String?
        do {
            try dispatch(command)
        } catch let e as ExpectationFailure {
            expectationFailure = e.message
            print(e.message)
        } catch let e as ShellError {
            runtimeError = e.message
            print(e.text)
        } catch {
            runtimeError = "\(error)"
            print("error: \(error)")
        }
        gwsh_clear_interrupt()
        return CommandOutcome(output: output.joined(separator: "\n"), expectationFailure: expectationFailure, runtimeError: runtimeError)
    }

    func print(_ s: String) { output.append(s) }

    func dispatch(_ line: String) throws {
        if luaBuffer != nil {
            luaLine(line)
            return
        }
        if lessonState != nil, try lessonInput(line) { return }
        try dispatchCommand(line)
    }

    func dispatchCommand(_ line: String) throws {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty || trimmed.hasPrefix("#") { return }
        let first = String(trimmed.prefix { $0 != " " && $0 != "\t" && $0 != "\n" })
        if stepper == nil, let cmd = CommandTable.find(first), cmd.rawInput {
            // Verbatim input (a template): no word splitting, quotes and newlines kept.
            rawArgs = String(line.drop { $0 == " " || $0 == "\t" }.dropFirst(first.count))
            try cmd.run(self, [])
            return
        }
        let words: [String]
        do { words = try ShellWords.split(trimmed) } catch { throw ShellError(error.message, hint: "close the quote") }
        guard let name = words.first else { return }
        let args = Array(words.dropFirst())
        rawArgs = String(trimmed.dropFirst(trimmed.prefix { $0 != " " && $0 != "\t" }.count))
        if stepper != nil, let alias = StepAlias(rawValue: name) {
            try runStepCommand(alias, args)
            return
        }
        if CommandTable.find(name) == nil, let host = lua, host.commands.contains(where: { $0.name == name }) {
            try runPluginCommand(host, name, args)
            return
        }
        guard let cmd = CommandTable.find(name) else {
            let suggestion = CommandTable.suggest(name).map { "did you mean `\($0)`? " } ?? ""
            throw ShellError("unknown command '\(name)'", hint: suggestion + "type `help` for the list of commands")
        }
        try cmd.run(self, args)
    }

    func resolve(_ path: String) -> String {
        if path.hasPrefix("/") { return path }
        if path.hasPrefix("~/") { return NSHomeDirectory() + String(path.dropFirst(1)) }
        return ((baseDirectory as NSString).appendingPathComponent(path) as NSString).standardizingPath
    }

    // MARK: - Models and plugins

    /// Loads a model file; on any failure the previous model (and its plugins) stays (ARCHITECTURE.md).
    func loadModel(path: String, inlineText: String? = nil) throws {
        let full = inlineText == nil ? resolve(path) : path
        let world: GatewayWorld
        let base = baseDirectory
        let parsed: Result<GatewayWorld, ModelError> = try Self.interruptibly {
            do throws(ModelError) {
                if let inlineText { return .success(try ModelLoader.load(text: inlineText, file: "(typed model)", baseDirectory: base)) }
                return .success(try ModelLoader.load(path: full, displayName: path))
            } catch { return .failure(error) }
        }
        switch parsed {
        case .success(let w): world = w
        case .failure(let error):
            throw ShellError("\(error.location): \(error.message)", hint: error.hint.map { $0 + " (the previous model stays loaded)" } ?? "the previous model stays loaded")
        }
        let host: LuaHost
        do { host = try Self.makeLua(world: world, seed: seed, embedded: false) } catch let e as LuaHostError {
            throw ShellError(e.description, hint: (e.hint ?? "fix the plugin") + " (the previous model stays loaded)")
        }
        // The id sequence goes on: request ids never repeat within a session.
        env = Self.makeEnvironment(world: world, clock: env.clock, ids: env.ids, lambda: host)
        lua = host
        modelDisplayName = path
        loadedModelPath = inlineText == nil ? full : nil
        lastExchange = nil
        stepper = nil
        for api in world.restApis {
            let stages = api.stages.map(\.stageName).joined(separator: ", ")
            let resources = api.resources.count
            print("Loaded REST API \(api.name) (\(api.id)): \(resources) resource\(resources == 1 ? "" : "s"), \(api.methodCount) method\(api.methodCount == 1 ? "" : "s"), stage\(api.stages.count == 1 ? "" : "s") \(stages.isEmpty ? "(none)" : stages)")
        }
        for api in world.httpApis {
            let stages = api.stages.map(\.stageName).joined(separator: ", ")
            print("Loaded HTTP API \(api.name) (\(api.apiId)): \(api.routes.count) route\(api.routes.count == 1 ? "" : "s"), stage\(api.stages.count == 1 ? "" : "s") \(stages.isEmpty ? "(none)" : stages)")
        }
        if world.restApis.isEmpty && world.httpApis.isEmpty { print("Loaded \(path): no APIs") }
        if !host.functionNames.isEmpty { print("Lambda functions: \(host.functionNames.joined(separator: ", "))") }
        if !host.backendHosts.isEmpty { print("HTTP backends: \(host.backendHosts.joined(separator: ", "))") }
        if !host.commands.isEmpty {
            print("Shell commands from plugins: \(host.commands.map(\.name).joined(separator: ", "))")
            for c in host.commands where CommandTable.find(c.name) != nil {
                print("note: the plugin command \(c.name) is hidden by the built-in command of that name")
            }
        }
        if !world.notes.isEmpty {
            print("note: \(world.notes.count) setting\(world.notes.count == 1 ? " is" : "s are") read but not simulated yet:")
            for n in world.notes.prefix(5) { print("  \(n)") }
            if world.notes.count > 5 { print("  … and \(world.notes.count - 5) more") }
        }
    }

    final class InterruptibleBox<T>: @unchecked Sendable {
        let lock = NSLock()
        var value: T?
    }

    /// Runs pure work (parsing a model) on its own thread so that Ctrl-C can abandon it: the shell gets its prompt
    /// back at once and the result, when it comes, is dropped.
    static func interruptibly<T: Sendable>(_ work: @escaping @Sendable () -> T) throws -> T {
        let box = InterruptibleBox<T>()
        let thread = Thread {
            let v = work()
            box.lock.lock()
            box.value = v
            box.lock.unlock()
        }
        thread.stackSize = 8 << 20
        thread.start()
        while true {
            box.lock.lock()
            let v = box.value
            box.lock.unlock()
            if let v { return v }
            if gwsh_interrupt_pending() != 0 {
                throw ShellError("load interrupted (Ctrl-C)", hint: "the previous model stays loaded")
            }
            usleep(1_000)
        }
    }

    /// `reload`: reads the model file and its plugins again after an edit (the embedded default model: its plugins
    /// start afresh). The chosen API and identity stay when the new model still has them; a model that fails to
    /// load leaves the old one in place, as `load` does.
    func reload(_ args: [String]) throws {
        guard args.isEmpty else { throw ShellError("usage: reload", hint: "reload reads the current model file and its plugins again") }
        let api = env.currentApiId, identity = identityName
        if let path = loadedModelPath {
            try loadModel(path: path)
        } else {
            let world = (try? ModelLoader.load(text: DefaultModel.yaml, file: DefaultModel.name, baseDirectory: nil)) ?? GatewayWorld()
            let host = try? Self.makeLua(world: world, seed: seed, embedded: true)
            env = Self.makeEnvironment(world: world, clock: env.clock, ids: env.ids, lambda: host)
            lua = host
            lastExchange = nil
            stepper = nil
            print("Reloaded the embedded default model")
        }
        if let api, env.world.restApi(id: api) != nil || env.world.httpApi(id: api) != nil { env.currentApiId = api }
        if let identity, env.world.identities.contains(where: { $0.name == identity }) { identityName = identity } else { identityName = nil; roleSession = nil; cognitoToken = nil }
    }

    static func makeLua(world: GatewayWorld, seed: UInt64, embedded: Bool) throws -> LuaHost {
        let host = try LuaHost(seed: seed)
        for p in world.plugins {
            if embedded, let source = DefaultModel.embeddedPlugins[p.path] {
                try host.loadPlugin(source: source, chunkName: p.path)
            } else if let resolved = p.resolvedPath {
                try host.loadPlugin(path: resolved, displayName: p.path)
            } else {
                throw LuaHostError(file: p.path, message: "plugin path cannot be resolved", hint: "plugins resolve against the model file's directory")
            }
            if let b = p.instructionBudget { host.setInstructionBudget(b, forPlugin: p.path) }
        }
        return host
    }

    /// `seed N`: a new seed for the ids generated from now on (request ids, CloudFront ids, trace ids); the
    /// Lua plugins' `math.random` is seeded when their model is loaded.
    func setSeed(_ n: UInt64) throws {
        seed = n
        env.ids = IdGenerator(seed: n)
    }
}
