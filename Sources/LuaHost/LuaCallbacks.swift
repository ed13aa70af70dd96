import CLua
import CShims
import GatewayModel

/// The Swift side of the state's native functions: json.encode, json.decode and print's log.
///
/// C calls these through `gwsh_lua_callbacks` while Lua runs, so they must never raise: they read with
/// `LuaValueReader`, report failure by return value, and leave their output where C can copy it from.
/// One per lua_State, used only on the Lua thread.
final class LuaCallbacks {
    /// Beyond this much printed text per operation, further lines are dropped (the log is Swift memory,
    /// which the state's memory limit does not cover).
    static let maxLogBytes = 1 << 20

    private var logs: [String] = []
    private var logBytes = 0
    private var lastTape: LuaTapeBuffer?
    private var lastText: LuaCString?

    /// Starts a new operation's log.
    func startLog() {
        logs = []
        logBytes = 0
    }

    /// The lines printed since `startLog`.
    func takeLogs() -> [String] {
        defer { logs = [] }
        return logs
    }

    /// The table C keeps; `self` must outlive the lua_State (LuaVM owns both and closes the state first).
    var table: gwsh_lua_callbacks {
        gwsh_lua_callbacks(
            context: Unmanaged.passUnretained(self).toOpaque(),
            encode: { context, state, index, out, length in
                guard let context, let state, let out, let length else { return 0 }
                return LuaCallbacks.from(context).encode(state, index, out, length)
            },
            decode: { context, text, length, ops, count, bytes in
                guard let context, let text, let ops, let count, let bytes else { return 0 }
                return LuaCallbacks.from(context).decode(text, length, ops, count, bytes)
            },
            log: { context, line, length in
                guard let context, let line else { return }
                LuaCallbacks.from(context).log(line, length)
            })
    }

    private static func from(_ context: UnsafeMutableRawPointer) -> LuaCallbacks {
        Unmanaged<LuaCallbacks>.fromOpaque(context).takeUnretainedValue()
    }

    private func encode(
        _ state: OpaquePointer, _ index: Int32,
        _ out: UnsafeMutablePointer<UnsafePointer<CChar>?>, _ length: UnsafeMutablePointer<Int>
    ) -> Int32 {
        var reader = LuaValueReader(state)
        let ok: Bool
        let text: LuaCString
        do throws(LuaMarshalError) {
            text = LuaCString(try reader.read(at: index).serialized(.compact))
            ok = true
        } catch {
            text = LuaCString(error.description)
            ok = false
        }
        lastText = text
        out.pointee = UnsafePointer(text.pointer)
        length.pointee = text.length
        return ok ? 1 : 0
    }

    private func decode(
        _ text: UnsafePointer<CChar>, _ length: Int,
        _ ops: UnsafeMutablePointer<UnsafePointer<gwsh_json_op>?>, _ count: UnsafeMutablePointer<Int>,
        _ bytes: UnsafeMutablePointer<UnsafePointer<CChar>?>
    ) -> Int32 {
        let source = UnsafeRawBufferPointer(start: text, count: length)
        do throws(JSONParseError) {
            var tape = LuaJSONTape()
            tape.append(try JSONValue.parse(bytes: Array(source)))
            let buffer = LuaTapeBuffer(tape)
            lastTape = buffer
            ops.pointee = UnsafePointer(buffer.ops.baseAddress)
            count.pointee = buffer.count
            bytes.pointee = UnsafePointer(buffer.bytes)
            return 1
        } catch {
            let message = LuaCString("invalid JSON at line \(error.line), column \(error.column): \(error.message)")
            lastText = message
            bytes.pointee = UnsafePointer(message.pointer)
            return 0
        }
    }

    private func log(_ line: UnsafePointer<CChar>, _ length: Int) {
        guard logBytes <= Self.maxLogBytes else { return }
        logBytes += length
        if logBytes > Self.maxLogBytes {
            logs.append("[gwsh] log truncated: more than \(Self.maxLogBytes >> 20) MiB printed")
            return
        }
        logs.append(String(decoding: UnsafeRawBufferPointer(start: line, count: length), as: UTF8.self))
    }
}
