import CLua
import CShims
import GatewayModel

// JSON ⇄ Lua. Lua tables have no "list or object" and no null, so the bridge fixes conventions:
//   JSON object ↔ table with string keys (encoded with keys sorted, so output is deterministic)
//   JSON list   ↔ table 1..n; decoded lists (and json.array(t)) carry a marker so an empty list stays []
//   JSON null   ↔ json.null (a sentinel: nil cannot be stored in a table)
//   integers stay integers, other numbers are floats.
// Building Lua values can raise (allocation), so Swift only writes a tape that lua_shims.c replays under
// pcall; reading uses the non-raising API only, so it is safe wherever the host is.

/// A JSON value flattened into the steps that build it in Lua (see `gwsh_json_op` in lua_shims.h).
struct LuaJSONTape {
    private(set) var ops: [gwsh_json_op] = []
    private(set) var bytes: [UInt8] = []

    mutating func append(_ value: JSONValue) {
        switch value {
        case .null: add(GWSH_JSON_NULL)
        case .bool(let flag): add(flag ? GWSH_JSON_TRUE : GWSH_JSON_FALSE)
        case .int(let integer): add(GWSH_JSON_INTEGER, integer: Int64(integer))
        case .double(let number): ops.append(gwsh_json_op(kind: GWSH_JSON_NUMBER, integer: 0, number: number, offset: 0, length: 0))
        case .string(let text): add(GWSH_JSON_STRING, bytes: text)
        case .array(let items):
            add(GWSH_JSON_ARRAY, integer: Int64(items.count))
            for (offset, item) in items.enumerated() {
                append(item)
                add(GWSH_JSON_SET_INDEX, integer: Int64(offset + 1))
            }
        case .object(let object):
            add(GWSH_JSON_OBJECT, integer: Int64(object.count))
            for (key, item) in object {
                append(item)
                add(GWSH_JSON_SET_FIELD, bytes: key)
            }
        }
    }

    private mutating func add(_ kind: gwsh_json_op_kind, integer: Int64 = 0) {
        ops.append(gwsh_json_op(kind: kind, integer: integer, number: 0, offset: 0, length: 0))
    }

    private mutating func add(_ kind: gwsh_json_op_kind, bytes text: String) {
        let offset = bytes.count
        bytes.append(contentsOf: text.utf8)
        ops.append(gwsh_json_op(kind: kind, integer: 0, number: 0, offset: offset, length: bytes.count - offset))
    }
}

/// A tape in memory that C may keep pointing at after Swift returns (json.decode hands it over that way),
/// freed when the next one replaces it.
final class LuaTapeBuffer {
    let ops: UnsafeMutableBufferPointer<gwsh_json_op>
    let count: Int
    let bytes: UnsafeMutablePointer<CChar>

    init(_ tape: LuaJSONTape) {
        count = tape.ops.count
        ops = .allocate(capacity: max(1, count))
        _ = ops.initialize(from: tape.ops)
        bytes = copyToC(tape.bytes)
    }

    deinit {
        ops.deallocate()
        bytes.deallocate()
    }
}

/// A NUL-terminated copy of a string that C may read after Swift returns (json.encode's output or message).
final class LuaCString {
    let pointer: UnsafeMutablePointer<CChar>
    let length: Int

    init(_ text: String) {
        let utf8 = Array(text.utf8)
        length = utf8.count
        pointer = copyToC(utf8)
    }

    deinit { pointer.deallocate() }
}

/// `bytes` in fresh memory, followed by a NUL; the caller deallocates it.
private func copyToC(_ bytes: [UInt8]) -> UnsafeMutablePointer<CChar> {
    let pointer = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count + 1)
    bytes.withUnsafeBytes { source in
        if let base = source.baseAddress { UnsafeMutableRawPointer(pointer).copyMemory(from: base, byteCount: source.count) }
    }
    pointer[bytes.count] = 0
    return pointer
}

/// Why a Lua value has no JSON form.
struct LuaMarshalError: Error, CustomStringConvertible {
    var description: String
}

/// Reads Lua values as JSON with the non-raising API only (lua_type, lua_next, lua_tolstring on strings...):
/// it runs inside json.encode, between Lua's own frames, and on results the host got back.
struct LuaValueReader {
    /// Deeper nesting than this is reported rather than followed (it also bounds the Lua stack used);
    /// GatewayModel's JSON parser accepts the same depth, so whatever decodes also encodes.
    static let maxDepth = 512

    private let state: OpaquePointer
    private var open: Set<UnsafeRawPointer> = []   // the tables being read, to catch a table inside itself

    init(_ state: OpaquePointer) { self.state = state }

    mutating func read(at index: Int32) throws(LuaMarshalError) -> JSONValue {
        let index = lua_absindex(state, index)
        let type = lua_type(state, index)
        switch type {
        case LUA_TNIL: return .null
        case LUA_TBOOLEAN: return .bool(lua_toboolean(state, index) != 0)
        case LUA_TNUMBER:
            if lua_isinteger(state, index) != 0 { return .int(Int(lua_tointegerx(state, index, nil))) }
            return .double(lua_tonumberx(state, index, nil))
        case LUA_TSTRING: return .string(string(at: index))
        case LUA_TTABLE: return try readTable(at: index)
        default: throw LuaMarshalError(description: "cannot encode a \(typeName(type)) value as JSON")
        }
    }

    /// An error value as the host reports it (a string stays text; a table is encoded).
    mutating func readError(at index: Int32) -> LuaErrorValue {
        let index = lua_absindex(state, index)
        let type = lua_type(state, index)
        switch type {
        case LUA_TSTRING: return .message(string(at: index))
        case LUA_TNUMBER:
            // Lua's own handlers print a number error as the number.
            return .message(((try? read(at: index)) ?? .null).serialized(.compact))
        case LUA_TTABLE:
            do throws(LuaMarshalError) { return .object(try read(at: index)) } catch { return .unencodable(error.description) }
        default:
            return .other("(error object is a \(typeName(type)) value)")
        }
    }

    /// The string at `index`, which must be a Lua string (numbers would be converted in place).
    func string(at index: Int32) -> String {
        var length = 0
        guard let pointer = lua_tolstring(state, index, &length) else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: pointer, count: length), as: UTF8.self)
    }

    private func typeName(_ type: Int32) -> String {
        lua_typename(state, type).map { String(cString: $0) } ?? "unknown"
    }

    private mutating func readTable(at index: Int32) throws(LuaMarshalError) -> JSONValue {
        if gwsh_lua_is_null(state, index) != 0 { return .null }
        guard let identity = lua_topointer(state, index) else { return .null }
        guard open.count < Self.maxDepth, lua_checkstack(state, 3) != 0 else {
            throw LuaMarshalError(description: "tables nested deeper than \(Self.maxDepth) levels")
        }
        guard open.insert(identity).inserted else { throw LuaMarshalError(description: "a table contains itself") }
        defer { open.remove(identity) }

        let isList = gwsh_lua_is_array(state, index) != 0
        var fields: [(key: String, value: JSONValue)] = []
        var items: [(index: Int64, value: JSONValue)] = []
        let top = lua_gettop(state)
        lua_pushnil(state)
        while lua_next(state, index) != 0 {
            do throws(LuaMarshalError) {
                let keyType = lua_type(state, -2)
                if keyType == LUA_TSTRING {
                    fields.append((string(at: -2), try read(at: -1)))
                } else if keyType == LUA_TNUMBER, lua_isinteger(state, -2) != 0 {
                    items.append((lua_tointegerx(state, -2, nil), try read(at: -1)))
                } else {
                    throw LuaMarshalError(description: "cannot encode a table with a \(typeName(keyType)) key as JSON")
                }
            } catch {
                lua_settop(state, top)
                throw error
            }
            gwsh_lua_pop(state, 1)
        }

        if !fields.isEmpty {
            guard items.isEmpty, !isList else {
                throw LuaMarshalError(description: "cannot encode a table that mixes list items and string keys as JSON")
            }
            fields.sort { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            return .object(JSONObject(fields.map { ($0.key, $0.value) }))
        }
        if items.isEmpty { return isList ? .array([]) : .object(JSONObject()) }
        items.sort { $0.index < $1.index }
        for (position, item) in items.enumerated() where item.index != Int64(position + 1) {
            throw LuaMarshalError(description: "cannot encode a list with a gap as JSON (index \(item.index) where \(position + 1) was expected)")
        }
        return .array(items.map(\.value))
    }
}
