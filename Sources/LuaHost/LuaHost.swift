import Foundation
import Gateway
import GatewayModel
import Synchronization

/// Lambda functions written in Lua: loads plugins into one sandboxed Lua state and invokes what they register.
///
///     gateway.lambda("orders", function(event, context)
///       return { statusCode = 200, body = json.encode({ ok = true }) }
///     end, { timeout = 3 })
///
/// The state lives on its own thread (`LuaThread`); every method may be called from any thread and blocks
/// until Lua is done. A plugin's failures become what Lambda would report (PRODUCT.md): `error(...)` a function
/// error, the instruction budget a timeout, the memory limit `Runtime.OutOfMemory`, Ctrl-C a cancellation.
/// Plugin API: `gateway.lambda`, `json.encode`/`json.decode`/`json.null`/`json.array`, and `print` (captured
/// into the invocation's logs). Sandbox: LuaSandbox.swift.
public final class LuaHost: LambdaInvoker, @unchecked Sendable {
    public let limits: LuaLimits

    private let thread: LuaThread
    /// The VM, touched only on `thread` (which is what makes the unchecked Sendable sound).
    private let vm: VMBox
    /// What is registered, readable from any thread without waiting for Lua.
    private let registry = Registry()

    /// A fresh state with no plugins. `seed` seeds `math.random`.
    public init(limits: LuaLimits = .default, seed: UInt64 = 0) throws(LuaHostError) {
        let thread = LuaThread(name: "gwsh-lua")
        let vm = VMBox()
        if let error = thread.sync({ vm.replace(limits: limits, seed: seed) }) {
            thread.stop()
            throw error
        }
        self.limits = limits
        self.thread = thread
        self.vm = vm
    }

    deinit {
        let vm = self.vm
        thread.sync { vm.current = nil }   // lua_close on the thread that owns the state
        thread.stop()
    }

    /// Discards every plugin and starts a fresh state (a new session).
    public func reset(seed: UInt64) throws(LuaHostError) {
        let vm = self.vm, limits = self.limits, registry = self.registry
        let failure = thread.sync { () -> LuaHostError? in
            registry.timeouts.withLock { $0 = [:] }
            registry.registrations.withLock { $0 = [:] }
            return vm.replace(limits: limits, seed: seed)
        }
        if let failure { throw failure }
    }

    // MARK: Plugins

    /// Runs a plugin's source. `chunkName` is the path messages show (`plugins/orders.lua`). A plugin that fails
    /// registers nothing; loading the same `chunkName` again replaces what it registered before.
    /// Returns the lines the plugin printed while loading.
    @discardableResult
    public func loadPlugin(source: String, chunkName: String) throws(LuaHostError) -> [String] {
        try load(Array(source.utf8), chunkName: chunkName)
    }

    /// Reads and runs a plugin file; `displayName` is the path messages show.
    @discardableResult
    public func loadPlugin(path: String, displayName: String) throws(LuaHostError) -> [String] {
        guard FileManager.default.fileExists(atPath: path) else {
            throw LuaHostError(file: displayName, message: "no such plugin file", hint: "plugin paths are relative to the model file that lists them")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw LuaHostError(file: displayName, message: "the plugin file cannot be read")
        }
        return try load([UInt8](data), chunkName: displayName)
    }

    private func load(_ source: [UInt8], chunkName: String) throws(LuaHostError) -> [String] {
        let vm = self.vm, registry = self.registry
        let outcome = thread.sync { () -> Result<[String], LuaHostError> in
            guard let current = vm.current else { return .failure(VMBox.missing) }
            do throws(LuaHostError) {
                let logs = try current.load(source: source, chunkName: chunkName)
                let functions = current.functions, registrations = current.registrations
                registry.timeouts.withLock { $0 = functions }
                registry.registrations.withLock { $0 = registrations }
                return .success(logs)
            } catch {
                return .failure(error)
            }
        }
        return try outcome.get()
    }

    /// The registered Lambda function names, sorted.
    public var functionNames: [String] { registry.timeouts.withLock { $0.keys.filter { !$0.hasPrefix("backend:") && !$0.hasPrefix("command:") && !$0.hasPrefix("hook:") && !$0.hasPrefix("mapper:") }.sorted() } }

    /// Shell commands plugins registered with `gateway.command`: name → help, sorted by name.
    public var commands: [(name: String, help: String)] {
        registry.registrations.withLock { r in
            r.compactMap { $0.key.hasPrefix("command:") ? (String($0.key.dropFirst("command:".count)), $0.value.help ?? "") : nil }.sorted { $0.0 < $1.0 }
        }
    }

    /// What each plugin file registered: chunk → names (`orders`, `backend:HOST`, `command:NAME`), sorted.
    public var registrationsByPlugin: [String: [String]] {
        registry.registrations.withLock { r in
            var out: [String: [String]] = [:]
            for (name, entry) in r { out[entry.chunk, default: []].append(name) }
            return out.mapValues { $0.sorted() }
        }
    }

    /// Runs a plugin's shell command with the words typed after its name; returns what it printed and returned.
    public func runCommand(_ name: String, args: [String], nowMillis: Int64) -> LambdaResult {
        invoke(LambdaInvocation(functionName: "command:" + name, payload: JSONValue.array(args.map(JSONValue.string)).serialized(),
                                awsRequestId: "command", functionArn: "command:" + name, timeoutMillis: 3000, nowMillis: nowMillis))
    }

    /// The hosts of the registered HTTP backends (`gateway.backend`), sorted.
    public var backendHosts: [String] {
        registry.timeouts.withLock { $0.keys.filter { $0.hasPrefix("backend:") }.map { String($0.dropFirst("backend:".count)) }.sorted() }
    }

    /// The timeout a function registered with (`{timeout = seconds}`, Lambda's default 3 s), in milliseconds.
    /// This is the timeout `invoke` enforces; callers building a `LambdaInvocation` should pass it.
    public func functionTimeoutMillis(_ name: String) -> Int? { registry.timeouts.withLock { $0[name] } }

    /// Evaluates a line typed at the `lua` prompt in the plugins' environment (see `LuaVM.evaluate`).
    public func evaluate(_ source: String, nowMillis: Int64 = 0) -> LuaEvaluation {
        let vm = self.vm
        return thread.sync { vm.current?.evaluate(source, nowMillis: nowMillis) ?? .failure("no Lua state", logs: []) }
    }

    // MARK: Stage hooks

    /// Gives a plugin file its own instruction budget per call (the model's `limits: { instructions: N }`).
    public func setInstructionBudget(_ budget: Int, forPlugin chunk: String) {
        let vm = self.vm
        thread.sync { vm.current?.budgets[chunk] = budget }
    }

    /// Plugin files whose hooks are switched off (`plugin disable FILE`); their functions keep working.
    private let disabled = Mutex<Set<String>>([])

    public func setPlugin(_ chunk: String, enabled: Bool) {
        disabled.withLock { if enabled { $0.remove(chunk) } else { $0.insert(chunk) } }
    }

    public var disabledPlugins: Set<String> { disabled.withLock { $0 } }

    /// Whether any plugin registered a hook.
    public var hasAnyHooks: Bool { registry.timeouts.withLock { $0.keys.contains { $0.hasPrefix("hook:") } } }

    /// The hook keys of one phase and stage, in registration order, with their plugin files.
    private func hookKeys(_ phase: HookPhase, _ stage: StageName) -> [(key: String, chunk: String)] {
        let prefix = "hook:\(phase.rawValue):\(stage.rawValue):"
        let off = disabledPlugins
        return registry.registrations.withLock { r in
            r.filter { $0.key.hasPrefix(prefix) && !off.contains($0.value.chunk) }
                .map { (key: $0.key, chunk: $0.value.chunk) }
                .sorted { (Int($0.key.split(separator: ":").last ?? "") ?? 0) < (Int($1.key.split(separator: ":").last ?? "") ?? 0) }
        }
    }
}

extension LuaHost: StageHooks {
    public func hasHooks(_ phase: HookPhase, _ stage: StageName) -> Bool { !hookKeys(phase, stage).isEmpty }

    public func run(_ phase: HookPhase, _ stage: StageName, view: JSONValue, nowMillis: Int64) -> [HookOutcome] {
        hookKeys(phase, stage).map { hook in
            let source = "\(hook.chunk) \(phase.rawValue):\(stage.rawValue)"
            let result = invoke(LambdaInvocation(functionName: hook.key, payload: view.serialized(), awsRequestId: "hook",
                                                 functionArn: hook.key, timeoutMillis: 3000, nowMillis: nowMillis))
            switch result.outcome {
            case .success(let payload):
                return HookOutcome.parse(try? JSONValue.parse(payload), source: source, logs: result.logs)
            case .functionError(let error, _):
                var o = HookOutcome(source: source)
                o.logs = result.logs
                o.error = error["errorMessage"]?.stringValue ?? error.serialized()
                return o
            case .timedOut:
                var o = HookOutcome(source: source)
                o.error = "ran out of instructions (a handler's 3 seconds)"
                return o
            case .cancelled:
                var o = HookOutcome(source: source)
                o.error = "interrupted (Ctrl-C)"
                return o
            }
        }
    }
}

extension LuaHost {
    // MARK: LambdaInvoker

    public func hasFunction(_ name: String) -> Bool { registry.timeouts.withLock { $0[name] != nil } }

    public func invoke(_ invocation: LambdaInvocation) -> LambdaResult {
        let vm = self.vm
        return thread.sync {
            guard let current = vm.current else {
                return LambdaResult(outcome: .functionError(error: LuaErrors.notFound(functionArn: invocation.functionArn), kind: "Unhandled"))
            }
            return current.invoke(invocation)
        }
    }
}

/// The registered functions (name → timeout in ms), copied from the VM after every load so that callers
/// need not wait for the Lua thread to ask. A class, so the Lua thread's jobs can hold it without holding the host.
private final class Registry: Sendable {
    let timeouts = Mutex<[String: Int]>([:])
    let registrations = Mutex<[String: (chunk: String, help: String?)]>([:])
}

/// Holds the host's VM; only the Lua thread reads or writes `current`.
private final class VMBox: @unchecked Sendable {
    static let missing = LuaHostError(file: LuaSandbox.chunkName, message: "no Lua state (the last reset failed)")

    var current: LuaVM?

    /// Closes the current state, if any, and opens a fresh one; returns why that failed.
    func replace(limits: LuaLimits, seed: UInt64) -> LuaHostError? {
        current = nil
        do throws(LuaHostError) {
            current = try LuaVM(limits: limits, seed: seed)
            return nil
        } catch {
            return error
        }
    }
}
