import CLua
import CShims
import Gateway
import GatewayModel

/// What a line at the `lua` prompt gave.
public enum LuaEvaluation: Sendable, Equatable {
    /// The results, tab-joined (tables as JSON), and what the line printed.
    case values(String, logs: [String])
    /// The line ends inside a statement: more input is needed.
    case incomplete
    case failure(String, logs: [String])
}

/// One sandboxed lua_State and what the host knows about it: the registered functions and their timeouts.
///
/// Not thread-safe: only the host's LuaThread touches it. Every call into Lua goes through a protected entry
/// point of lua_shims.c; results are read off the stack without raising and the stack is emptied afterwards.
final class LuaVM {
    let limits: LuaLimits
    /// Registered functions: name → timeout in milliseconds.
    private(set) var functions: [String: Int] = [:]
    /// Per-plugin instruction budgets (a model's `plugins: [{ path, limits: { instructions } }]`), by chunk name.
    var budgets: [String: Int] = [:]

    /// The budget of a call to a registered name: its plugin's own, else the state's.
    func budget(for name: String) -> Int { registrations[name].flatMap { budgets[$0.chunk] } ?? limits.instructionBudget }

    /// What each registration came from, and a command's help text.
    private(set) var registrations: [String: (chunk: String, help: String?)] = [:]

    private let state: OpaquePointer
    private let callbacks: LuaCallbacks
    /// Chunks whose `name:line:` prefixes are recognised in messages.
    private var chunkNames: Set<String> = [LuaSandbox.chunkName]

    init(limits: LuaLimits, seed: UInt64) throws(LuaHostError) {
        let callbacks = LuaCallbacks()
        self.state = try Self.open(limits: limits, seed: seed, callbacks: callbacks)
        self.callbacks = callbacks
        self.limits = limits
    }

    deinit { gwsh_lua_close(state) }   // before `callbacks` goes: C holds it unretained

    private static func open(limits: LuaLimits, seed: UInt64, callbacks: LuaCallbacks) throws(LuaHostError) -> OpaquePointer {
        guard limits.memoryBytes > 0, let state = gwsh_lua_open(limits.memoryBytes, callbacks.table) else {
            throw LuaHostError(file: LuaSandbox.chunkName, message: "cannot create a Lua state within \(limits.memoryDescription)")
        }
        gwsh_lua_begin(state, lua_Integer(limits.instructionBudget), 0)
        let status = LuaSandbox.prelude.utf8CString.withUnsafeBufferPointer { text in
            gwsh_lua_setup(state, text.baseAddress, text.count - 1, lua_Integer(bitPattern: seed))
        }
        if status != LUA_OK {
            var reader = LuaValueReader(state)
            let failure = reader.readError(at: -1)
            gwsh_lua_close(state)
            let message = status == LUA_ERRMEM ? "not enough memory to set up the sandbox (limit \(limits.memoryDescription))" : failure.text
            throw LuaHostError(file: LuaSandbox.chunkName, message: message)
        }
        return state
    }

    // MARK: Loading

    /// Runs a plugin chunk; its `gateway.lambda` registrations count only if it runs to the end.
    /// Returns what the chunk printed.
    func load(source: [UInt8], chunkName: String) throws(LuaHostError) -> [String] {
        callbacks.startLog()
        gwsh_lua_begin(state, lua_Integer(limits.instructionBudget), 0)
        defer { lua_settop(state, 0) }
        var names = chunkNames
        names.insert(chunkName)

        let text = source + [0]   // never empty, so there is always a base address
        let status = text.withUnsafeBufferPointer { bytes in
            bytes.withMemoryRebound(to: CChar.self) { chars in
                gwsh_lua_load(state, chars.baseAddress, source.count, chunkName)
            }
        }
        let logs = callbacks.takeLogs()

        if let stop = stopError(chunkName: chunkName) { throw stop }
        guard status == LUA_OK else { throw outerLoadError(status: status, chunkName: chunkName) }
        var reader = LuaValueReader(state)
        let chunkStatus = Int32(truncatingIfNeeded: lua_tointegerx(state, -4, nil))
        guard chunkStatus == LUA_OK else {
            let failure = reader.readError(at: -3)
            let trace = traceback(at: -2)
            let outOfMemory = isOutOfMemory(status: chunkStatus, failure, chunkNames: names)
            gwsh_lua_collect(state)
            if outOfMemory { throw outOfMemoryWhileLoading(chunkName) }
            throw LuaErrors.loadError(failure, traceback: trace, file: chunkName, chunkNames: names)
        }

        do throws(LuaMarshalError) {
            let registered = try reader.read(at: -1).objectValue ?? JSONObject()
            functions = Dictionary(registered.compactMap { entry in entry.value["timeout"]?.intValue.map { (entry.key, $0 * 1000) } }) { $1 }
            registrations = Dictionary(registered.map { ($0.key, (chunk: $0.value["chunk"]?.stringValue ?? "", help: $0.value["help"]?.stringValue)) }) { $1 }
        } catch {
            throw LuaHostError(file: chunkName, message: "the function registry could not be read: \(error)")
        }
        chunkNames = names
        return logs
    }

    private func stopError(chunkName: String) -> LuaHostError? {
        switch gwsh_lua_abort_reason(state) {
        case GWSH_LUA_ABORT_BUDGET:
            gwsh_lua_collect(state)
            return LuaHostError(
                file: chunkName, message: "ran out of instructions while loading (budget \(limits.instructionBudget))",
                hint: "a plugin's top level runs once, when it loads: look there for an endless loop, and do the work in a handler")
        case GWSH_LUA_ABORT_INTERRUPT:
            gwsh_lua_collect(state)
            return LuaHostError(file: chunkName, message: "loading interrupted (Ctrl-C)")
        default:
            return nil
        }
    }

    private func outerLoadError(status: Int32, chunkName: String) -> LuaHostError {
        var reader = LuaValueReader(state)
        let failure = reader.readError(at: -1)
        gwsh_lua_collect(state)
        if status == LUA_ERRMEM { return outOfMemoryWhileLoading(chunkName) }
        return LuaErrors.loadError(failure, traceback: nil, file: chunkName, chunkNames: chunkNames)
    }

    private func outOfMemoryWhileLoading(_ chunkName: String) -> LuaHostError {
        LuaHostError(
            file: chunkName, message: "out of memory while loading (limit \(limits.memoryDescription))",
            hint: "the limit holds for the whole Lua state, all plugins together")
    }

    // MARK: Invoking

    /// Runs a registered function on the invocation's event, as Lambda would, and reports what Lambda would.
    func invoke(_ invocation: LambdaInvocation) -> LambdaResult {
        guard let timeout = functions[invocation.functionName] else {
            return LambdaResult(outcome: .functionError(error: LuaErrors.notFound(functionArn: invocation.functionArn), kind: "Unhandled"))
        }
        var tape = LuaJSONTape()
        do throws(JSONParseError) {
            tape.append(try JSONValue.parse(invocation.payload))
        } catch {
            return LambdaResult(outcome: .functionError(error: LuaErrors.invalidPayload(error), kind: "Unhandled"))
        }
        tape.append(context(for: invocation))
        let buffer = LuaTapeBuffer(tape)

        callbacks.startLog()
        gwsh_lua_begin(state, lua_Integer(budget(for: invocation.functionName)), lua_Integer(timeout))
        gwsh_lua_set_now(state, lua_Integer(invocation.nowMillis))
        defer { lua_settop(state, 0) }
        let status = withExtendedLifetime(buffer) {
            gwsh_lua_invoke(state, invocation.functionName, buffer.ops.baseAddress, buffer.count, buffer.bytes)
        }
        let logs = callbacks.takeLogs()
        let duration = 1 + Int(gwsh_lua_instructions(state)) / GWSH_LUA_INSTRUCTIONS_PER_MILLISECOND
        func result(_ outcome: LambdaOutcome) -> LambdaResult {
            LambdaResult(outcome: outcome, logs: logs, durationMillis: duration)
        }
        func failed(_ error: JSONValue) -> LambdaResult { result(.functionError(error: error, kind: "Unhandled")) }

        switch gwsh_lua_abort_reason(state) {
        case GWSH_LUA_ABORT_BUDGET:
            gwsh_lua_collect(state)
            return LambdaResult(outcome: .timedOut(afterMillis: timeout), logs: logs, durationMillis: timeout)
        case GWSH_LUA_ABORT_INTERRUPT:
            gwsh_lua_collect(state)
            return result(.cancelled)
        default:
            break
        }

        var reader = LuaValueReader(state)
        guard status == LUA_OK else {
            // Building the event or the context failed: only memory can do that.
            let failure = reader.readError(at: -1)
            gwsh_lua_collect(state)
            if status == LUA_ERRMEM { return failed(LuaErrors.outOfMemory(limits)) }
            return failed(LuaErrors.functionError(failure, traceback: nil, chunkNames: chunkNames))
        }
        let callStatus = Int(lua_tointegerx(state, -3, nil))
        switch callStatus {
        case GWSH_LUA_NOT_FOUND:
            return failed(LuaErrors.notFound(functionArn: invocation.functionArn))
        case Int(LUA_OK):
            do throws(LuaMarshalError) {
                return result(.success(payload: try reader.read(at: -2).serialized(.compact)))
            } catch {
                return failed(LuaErrors.marshalError(error.description))
            }
        default:
            let failure = reader.readError(at: -2)
            if isOutOfMemory(status: Int32(truncatingIfNeeded: callStatus), failure, chunkNames: chunkNames) {
                gwsh_lua_collect(state)
                return failed(LuaErrors.outOfMemory(limits))
            }
            return failed(LuaErrors.functionError(failure, traceback: traceback(at: -1), chunkNames: chunkNames))
        }
    }

    /// The context's data fields; C adds getRemainingTimeInMillis, which reads the instruction counter.
    private func context(for invocation: LambdaInvocation) -> JSONValue {
        [
            "awsRequestId": .string(invocation.awsRequestId),
            "functionName": .string(invocation.functionName),
            "functionVersion": "$LATEST",
            "invokedFunctionArn": .string(invocation.functionArn),
            "memoryLimitInMB": 128,
        ]
    }

    // MARK: The `lua` prompt

    /// Evaluates a line in the plugins' global environment, with the same limits as a handler (the instruction
    /// budget of a 3-second function, the memory limit, Ctrl-C).
    func evaluate(_ source: String, nowMillis: Int64) -> LuaEvaluation {
        callbacks.startLog()
        gwsh_lua_begin(state, lua_Integer(limits.instructionBudget), 3000)
        gwsh_lua_set_now(state, lua_Integer(nowMillis))
        defer { lua_settop(state, 0) }
        let bytes = Array(source.utf8) + [0]
        let status = bytes.withUnsafeBufferPointer { b in
            b.withMemoryRebound(to: CChar.self) { gwsh_lua_eval(state, $0.baseAddress, source.utf8.count) }
        }
        let logs = callbacks.takeLogs()
        switch gwsh_lua_abort_reason(state) {
        case GWSH_LUA_ABORT_BUDGET:
            gwsh_lua_collect(state)
            return .failure("ran out of instructions (budget \(limits.instructionBudget)): an endless loop?", logs: logs)
        case GWSH_LUA_ABORT_INTERRUPT:
            gwsh_lua_collect(state)
            return .failure("interrupted (Ctrl-C)", logs: logs)
        default: break
        }
        var reader = LuaValueReader(state)
        guard status == LUA_OK else {
            let failure = reader.readError(at: -1)
            gwsh_lua_collect(state)
            return .failure(status == LUA_ERRMEM ? "not enough memory (limit \(limits.memoryDescription))" : failure.text, logs: logs)
        }
        let inner = Int(lua_tointegerx(state, -3, nil))
        if inner == GWSH_LUA_INCOMPLETE { return .incomplete }
        if inner == Int(LUA_OK) { return .values(reader.string(at: -2) ?? "", logs: logs) }
        let failure = reader.readError(at: -2)
        var text = failure.text
        if let trace = traceback(at: -1) { text += "\n" + trace }
        return .failure(text, logs: logs)
    }

    // MARK: Reading failures

    private func traceback(at index: Int32) -> String? {
        lua_type(state, index) == LUA_TSTRING ? LuaValueReader(state).string(at: index) : nil
    }

    /// A memory error, also when the plugin caught it and raised it again, or when the message handler itself
    /// could not allocate.
    private func isOutOfMemory(status: Int32, _ failure: LuaErrorValue, chunkNames: Set<String>) -> Bool {
        if status == LUA_ERRMEM { return true }
        guard case .message(let text) = failure else { return false }
        if status == LUA_ERRERR { return gwsh_lua_memory_used(state) + (256 << 10) > limits.memoryBytes }
        let message = LuaErrors.splitPositions(text, chunkNames: chunkNames)?.1 ?? text
        return message == "not enough memory"
    }
}
