import Foundation
import GatewayModel

/// A plugin that could not be loaded, or a Lua state that could not be made: where, what, and what to do.
public struct LuaHostError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The plugin's display path (`plugins/orders.lua`).
    public var file: String
    /// The line in `file`, when Lua knows it.
    public var line: Int?
    public var message: String
    public var hint: String?

    public init(file: String, line: Int? = nil, message: String, hint: String? = nil) {
        self.file = file
        self.line = line
        self.message = message
        self.hint = hint
    }

    /// `plugins/x.lua:3: message`, then the hint on its own line.
    public var description: String {
        var text = line.map { "\(file):\($0): \(message)" } ?? "\(file): \(message)"
        if let hint { text += "\n  hint: \(hint)" }
        return text
    }
}

/// A Lua error value as the host read it off the stack (without raising).
enum LuaErrorValue: Equatable {
    /// `error("...")` or a runtime error: the text, maybe starting with Lua's `file:line: `.
    case message(String)
    /// `error({...})`, encoded as JSON.
    case object(JSONValue)
    /// A table that JSON cannot represent, with the reason.
    case unencodable(String)
    /// Anything else, described as lua.c describes it.
    case other(String)

    /// The value as one line of text, for messages that are not Lambda error objects.
    var text: String {
        switch self {
        case .message(let text), .other(let text): return text
        case .object(let object): return object["errorMessage"]?.stringValue ?? object.serialized(.compact)
        case .unencodable(let reason): return "an error object that cannot be shown as JSON (\(reason))"
        }
    }
}

/// Where a Lua message says it was raised.
struct LuaPosition: Equatable {
    var file: String
    var line: Int
}

/// How Lua's failures read as Lambda's (PRODUCT.md, "Decisions behind this taste"): a string error is an
/// `Error` whose `file:line:` prefix moves into `stackTrace`; a table error is the error object as given.
enum LuaErrors {
    /// Splits Lua's position prefix (`plugins/x.lua:12: boom` → `plugins/x.lua`, 12, `boom`). Only prefixes
    /// naming a known chunk count (or a `load`ed string, or a long name Lua shortened to `...tail`), so a
    /// message that merely contains `a:1: ` stays whole.
    static func splitPosition(_ message: String, chunkNames: Set<String>) -> (LuaPosition, String)? {
        let bytes = Array(message.utf8)
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: ":") {
                var j = i + 1
                while j < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[j]) { j += 1 }
                if j > i + 1, j + 1 < bytes.count, bytes[j] == UInt8(ascii: ":"), bytes[j + 1] == UInt8(ascii: " ") {
                    let file = String(decoding: bytes[..<i], as: UTF8.self)
                    if isChunkName(file, chunkNames),
                        let line = Int(String(decoding: bytes[(i + 1)..<j], as: UTF8.self))
                    {
                        return (LuaPosition(file: file, line: line), String(decoding: bytes[(j + 2)...], as: UTF8.self))
                    }
                }
            }
            i += 1
        }
        return nil
    }

    private static func isChunkName(_ file: String, _ chunkNames: Set<String>) -> Bool {
        if chunkNames.contains(file) || file.hasPrefix("[string \"") { return true }
        guard file.hasPrefix("...") else { return false }
        let tail = file.dropFirst(3)
        return chunkNames.contains { $0.hasSuffix(tail) }
    }

    /// Splits every leading position: `coroutine.wrap` prefixes the caller's position to the coroutine's own
    /// message, so a message can carry several. The innermost position (where the error was raised) is returned.
    static func splitPositions(_ message: String, chunkNames: Set<String>) -> (LuaPosition, String)? {
        guard var (position, rest) = splitPosition(message, chunkNames: chunkNames) else { return nil }
        while let (inner, text) = splitPosition(rest, chunkNames: chunkNames) {
            (position, rest) = (inner, text)
        }
        return (position, rest)
    }

    /// The frames of a `luaL_traceback`, one per element, without the header, the `error` call itself and
    /// the host's own C entry frames (`[C]: in ?`), which say nothing about the plugin. Frames in the prelude
    /// (`print`) keep their name but lose a line number that means nothing to plugin authors.
    static func stackTrace(_ traceback: String?) -> [String] {
        guard let traceback else { return [] }
        var lines = traceback.split(separator: "\n", omittingEmptySubsequences: true).map { line -> String in
            var text = Substring(line)
            while text.first == "\t" || text.first == " " { text = text.dropFirst() }
            return text.replacingOccurrences(of: "\t", with: " ")
        }
        if lines.first == "stack traceback:" { lines.removeFirst() }
        if lines.first == "[C]: in function 'error'" { lines.removeFirst() }
        return lines.filter { $0 != "[C]: in ?" }.map(withoutPreludeLine)
    }

    private static func withoutPreludeLine(_ frame: String) -> String {
        let prefix = LuaSandbox.chunkName + ":"
        guard frame.hasPrefix(prefix) else { return frame }
        return prefix + frame.dropFirst(prefix.count).drop(while: \.isNumber).dropFirst()
    }

    /// The first line of `file` the traceback mentions (for errors that carry no position themselves).
    static func firstLine(in traceback: String?, of file: String) -> Int? {
        for frame in stackTrace(traceback) where frame.hasPrefix(file + ":") {
            let digits = frame.dropFirst(file.count + 1).prefix(while: \.isNumber)
            if let line = Int(digits) { return line }
        }
        return nil
    }

    // MARK: Lambda error objects

    /// A function error raised with `error(...)` or by a runtime error.
    static func functionError(_ value: LuaErrorValue, traceback: String?, chunkNames: Set<String>) -> JSONValue {
        switch value {
        case .message(let message):
            var trace = stackTrace(traceback)
            var text = message
            if let (position, rest) = splitPositions(message, chunkNames: chunkNames) {
                text = rest
                trace.insert("\(position.file):\(position.line)", at: 0)
            }
            return errorObject(message: text, type: "Error", stackTrace: trace)
        case .object(.object(let fields)):
            var object = fields
            if object["errorType"] == nil { object["errorType"] = "Error" }
            return .object(JSONObject(object.pairs.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }.map { ($0.key, $0.value) }))
        case .object(let other):
            return errorObject(message: other.serialized(.compact), type: "Error", stackTrace: stackTrace(traceback))
        case .unencodable(let reason):
            return .obj(["errorMessage": .string("Unable to marshal error object: \(reason)"), "errorType": "Runtime.MarshalError"])
        case .other(let description):
            return errorObject(message: description, type: "Error", stackTrace: stackTrace(traceback))
        }
    }

    static func errorObject(message: String, type: String, stackTrace: [String]) -> JSONValue {
        .obj(["errorMessage": .string(message), "errorType": .string(type), "stackTrace": .array(stackTrace.map { .string($0) })])
    }

    /// The return value could not be turned into JSON (Lambda's runtimes report the same error type).
    static func marshalError(_ reason: String) -> JSONValue {
        errorObject(message: "Unable to marshal response: \(reason)", type: "Runtime.MarshalError", stackTrace: [])
    }

    /// The state's allocator refused to grow: the runtime, not the function, failed, so there is no stack trace.
    static func outOfMemory(_ limits: LuaLimits) -> JSONValue {
        .obj([
            "errorMessage": .string("Runtime exited with error: out of memory (limit \(limits.memoryDescription))"),
            "errorType": "Runtime.OutOfMemory",
        ])
    }

    /// Lambda's answer for an unknown function name.
    static func notFound(functionArn: String) -> JSONValue {
        .obj([
            "errorMessage": .string("Function not found: \(functionArn)"),
            "errorType": "ResourceNotFoundException",
        ])
    }

    /// Lambda's answer for a payload that is not JSON.
    static func invalidPayload(_ error: JSONParseError) -> JSONValue {
        .obj([
            "errorMessage": .string("Could not parse request body into json: \(error)"),
            "errorType": "InvalidRequestContentException",
        ])
    }

    // MARK: Load errors

    /// Why loading `file` failed, positioned where Lua says (or where the traceback first mentions `file`).
    static func loadError(_ value: LuaErrorValue, traceback: String?, file: String, chunkNames: Set<String>) -> LuaHostError {
        var message = value.text
        var position: LuaPosition?
        if case .message(let text) = value, let (at, rest) = splitPositions(text, chunkNames: chunkNames) {
            position = at
            message = rest
        }
        if position == nil, let line = firstLine(in: traceback, of: file) {
            position = LuaPosition(file: file, line: line)
        }
        return LuaHostError(file: position?.file ?? file, line: position?.line, message: message, hint: hint(for: message))
    }

    /// Plugins that reach for a removed library get told why it is missing.
    static func hint(for message: String) -> String? {
        let removed = ["io", "os", "debug", "package", "require", "dofile", "loadfile"]
        guard removed.contains(where: { message.contains("global '\($0)'") }) else { return nil }
        return "plugins run sandboxed: only the base, table, string, math, utf8 and coroutine libraries are available (no files, no modules)"
    }
}
