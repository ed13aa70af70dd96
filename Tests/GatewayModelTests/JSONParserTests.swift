import GatewayModel
import Testing

/// The strict JSON parser: values, key order, numbers, escapes, and errors with line:column.
@Suite struct JSONParserTests {
    // MARK: - Values

    struct ValueCase: Sendable, CustomTestStringConvertible {
        let text: String
        let expected: JSONValue
        var testDescription: String { text }
    }

    @Test(arguments: [
        ValueCase(text: "null", expected: .null),
        ValueCase(text: "true", expected: .bool(true)),
        ValueCase(text: "false", expected: .bool(false)),
        ValueCase(text: "0", expected: .int(0)),
        ValueCase(text: "-0", expected: .int(0)),
        ValueCase(text: "42", expected: .int(42)),
        ValueCase(text: "-17", expected: .int(-17)),
        ValueCase(text: "9223372036854775807", expected: .int(Int.max)),
        ValueCase(text: "1.0", expected: .double(1.0)),
        ValueCase(text: "1.5", expected: .double(1.5)),
        ValueCase(text: "-0.25", expected: .double(-0.25)),
        ValueCase(text: "1e2", expected: .double(100)),
        ValueCase(text: "1E+2", expected: .double(100)),
        ValueCase(text: "25e-1", expected: .double(2.5)),
        // Too large for Int: kept as a double rather than failing.
        ValueCase(text: "12345678901234567890", expected: .double(12_345_678_901_234_567_168)),  // beyond Int: the nearest Double
        ValueCase(text: "\"\"", expected: .string("")),
        ValueCase(text: "\"abc\"", expected: .string("abc")),
        ValueCase(text: "[]", expected: .array([])),
        ValueCase(text: "{}", expected: .object(JSONObject())),
        ValueCase(text: "[1, \"a\", null, true, [2]]", expected: .array([.int(1), .string("a"), .null, .bool(true), .array([.int(2)])])),
        ValueCase(text: " \n\t\r {\"a\" : [ ] } \n", expected: .obj(["a": .array([])])),
    ])
    func parsesValue(_ c: ValueCase) throws {
        #expect(try JSONValue.parse(c.text) == c.expected)
        #expect(try JSONValue.parse(bytes: Array(c.text.utf8)) == c.expected)
    }

    @Test func integersAndDoublesStayDistinct() throws {
        let v = try JSONValue.parse(#"{"i": 1, "d": 1.0, "e": 1e0}"#)
        #expect(v["i"] == .int(1))
        #expect(v["d"] == .double(1.0))
        #expect(v["e"] == .double(1.0))
        #expect(v["i"] != v["d"])
        // A round trip keeps the distinction.
        #expect(v.serialized() == #"{"i":1,"d":1.0,"e":1.0}"#)
    }

    @Test func keyOrderIsKept() throws {
        let v = try JSONValue.parse(#"{"zebra": 1, "apple": 2, "mango": 3, "banana": {"y": 1, "x": 2}}"#)
        #expect(v.objectValue?.keys == ["zebra", "apple", "mango", "banana"])
        #expect(v["banana"]?.objectValue?.keys == ["y", "x"])
        #expect(v.serialized() == #"{"zebra":1,"apple":2,"mango":3,"banana":{"y":1,"x":2}}"#)
    }

    /// Duplicate keys: one entry, the last value, at the first key's position (what JavaScript's JSON.parse and
    /// Python's json.loads do).
    @Test func duplicateKeysKeepFirstPositionAndLastValue() throws {
        let v = try JSONValue.parse(#"{"a": 1, "b": 2, "a": 3}"#)
        #expect(v.objectValue?.keys == ["a", "b"])
        #expect(v.objectValue?.count == 2)
        #expect(v["a"] == .int(3))
        #expect(v["b"] == .int(2))
        #expect(v.serialized() == #"{"a":3,"b":2}"#)
    }

    // MARK: - Escapes

    struct EscapeCase: Sendable, CustomTestStringConvertible {
        let literal: String
        let expected: String
        var testDescription: String { literal }
    }

    @Test(arguments: [
        EscapeCase(literal: #""\"""#, expected: "\""),
        EscapeCase(literal: #""\\""#, expected: "\\"),
        EscapeCase(literal: #""\/""#, expected: "/"),
        EscapeCase(literal: #""\b\f\n\r\t""#, expected: "\u{08}\u{0C}\n\r\t"),
        EscapeCase(literal: #""\u0041""#, expected: "A"),
        EscapeCase(literal: #""\u00e9""#, expected: "é"),
        EscapeCase(literal: #""\u00E9""#, expected: "é"),
        EscapeCase(literal: #""\u20AC""#, expected: "€"),
        EscapeCase(literal: #""\u0000""#, expected: "\u{0}"),
        // A surrogate pair is one scalar.
        EscapeCase(literal: #""\ud83d\ude00""#, expected: "😀"),
        EscapeCase(literal: #""\uD834\uDD1E""#, expected: "𝄞"),
        EscapeCase(literal: #""a\ud83d\ude00b""#, expected: "a😀b"),
        // Raw UTF-8 passes through.
        EscapeCase(literal: "\"é😀\"", expected: "é😀"),
        // Lone surrogates become U+FFFD.
        EscapeCase(literal: #""\ud83d""#, expected: "\u{FFFD}"),
        EscapeCase(literal: #""\ude00""#, expected: "\u{FFFD}"),
        EscapeCase(literal: #""\ud83dx""#, expected: "\u{FFFD}x"),
    ])
    func decodesEscape(_ c: EscapeCase) throws {
        #expect(try JSONValue.parse(c.literal) == .string(c.expected))
    }

    /// A high surrogate followed by an escape that is not a low surrogate: the second escape is a character of its
    /// own and must survive (RFC 8259 §8.2; JavaScript and Python keep it: `"\ud83d\u0041"` → U+FFFD/lone + "A").
    @Test func highSurrogateFollowedByNonSurrogateEscapeKeepsTheSecondCharacter() throws {
        let v = try JSONValue.parse(#""\ud83d\u0041""#)
        #expect(v == .string("\u{FFFD}A"))
    }

    // MARK: - Errors

    struct ErrorCase: Sendable, CustomTestStringConvertible {
        let text: String
        let line: Int
        let column: Int
        let message: String
        var testDescription: String { "\(text.debugDescription) → \(line):\(column)" }
    }

    @Test(arguments: [
        ErrorCase(text: "", line: 1, column: 1, message: "expected a value, found the end of the text"),
        ErrorCase(text: "   ", line: 1, column: 4, message: "expected a value, found the end of the text"),
        ErrorCase(text: "{\n  \"a\": tru\n}", line: 2, column: 8, message: "expected 'true'"),
        ErrorCase(text: "nul", line: 1, column: 1, message: "expected 'null'"),
        ErrorCase(text: "[1,]", line: 1, column: 4, message: "expected a value (object, list, string, number, true, false or null)"),
        ErrorCase(text: "[1 2]", line: 1, column: 4, message: "expected ',' or ']'"),
        ErrorCase(text: "[1", line: 1, column: 3, message: "unterminated list: expected ',' or ']'"),
        ErrorCase(text: "{\"a\" 1}", line: 1, column: 6, message: "expected ':' after the key"),
        ErrorCase(text: "{\"a\":1,}", line: 1, column: 8, message: "expected a quoted key"),
        ErrorCase(text: "{a:1}", line: 1, column: 2, message: "expected a quoted key"),
        ErrorCase(text: "{\"a\":1 \"b\":2}", line: 1, column: 8, message: "expected ',' or '}'"),
        ErrorCase(text: "{\"a\":1", line: 1, column: 7, message: "unterminated object: expected ',' or '}'"),
        ErrorCase(text: "\"abc", line: 1, column: 5, message: "unterminated string"),
        ErrorCase(text: "\"a\tb\"", line: 1, column: 3, message: "control character in string (escape it)"),
        ErrorCase(text: "\"a\\qb\"", line: 1, column: 5, message: "invalid escape '\\q'"),
        ErrorCase(text: "\"\\u12G4\"", line: 1, column: 6, message: "invalid hex digit in \\u escape"),
        ErrorCase(text: "\"\\u12\"", line: 1, column: 4, message: "incomplete \\u escape"),
        ErrorCase(text: "01", line: 1, column: 2, message: "unexpected text after the JSON value"),
        ErrorCase(text: "1.", line: 1, column: 3, message: "invalid number: digits expected after '.'"),
        ErrorCase(text: ".5", line: 1, column: 1, message: "expected a value (object, list, string, number, true, false or null)"),
        ErrorCase(text: "1e", line: 1, column: 3, message: "invalid number: exponent digits expected"),
        ErrorCase(text: "-", line: 1, column: 2, message: "invalid number"),
        ErrorCase(text: "+1", line: 1, column: 1, message: "expected a value (object, list, string, number, true, false or null)"),
        ErrorCase(text: "{} {}", line: 1, column: 4, message: "unexpected text after the JSON value"),
        ErrorCase(text: "[\n1,\n2,\n]", line: 4, column: 1, message: "expected a value (object, list, string, number, true, false or null)"),
        // Columns count characters, not UTF-8 bytes.
        ErrorCase(text: "[\"é😀\", x]", line: 1, column: 8, message: "expected a value (object, list, string, number, true, false or null)"),
    ])
    func reportsErrorPosition(_ c: ErrorCase) throws {
        let e = try #require(parseError(c.text))
        #expect("\(e.line):\(e.column)" == "\(c.line):\(c.column)")
        #expect(e.message == c.message)
        #expect(parseError(bytes: Array(c.text.utf8)) == e)
    }

    func parseError(_ text: String) -> JSONParseError? {
        do { _ = try JSONValue.parse(text); return nil } catch { return error }
    }

    func parseError(bytes: [UInt8]) -> JSONParseError? {
        do { _ = try JSONValue.parse(bytes: bytes); return nil } catch { return error }
    }

    @Test func errorDescriptionIsLineColonColumn() {
        do {
            _ = try JSONValue.parse("{\n  \"a\": tru\n}")
            Issue.record("expected a parse error")
        } catch {
            #expect(error.description == "2:8: expected 'true'")
        }
    }

    @Test func nestingIsLimitedTo512Levels() throws {
        let ok = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        #expect(parseError(ok) == nil)
        let deep = String(repeating: "[", count: 513) + String(repeating: "]", count: 513)
        let e = try #require(parseError(deep))
        #expect(e.description == "1:513: nesting deeper than 512 levels")
    }

    // MARK: - Accessors

    @Test func accessors() throws {
        let v = try JSONValue.parse(#"{"s": "x", "i": 3, "d": 4.0, "f": 4.5, "b": true, "a": [1], "o": {"k": null}}"#)
        #expect(v["s"]?.stringValue == "x")
        #expect(v["i"]?.intValue == 3)
        #expect(v["d"]?.intValue == 4)  // a whole double reads as an int
        #expect(v["f"]?.intValue == nil)
        #expect(v["b"]?.boolValue == true)
        #expect(v["a"]?.arrayValue == [.int(1)])
        #expect(v["o"]?["k"]?.isNull == true)
        #expect(v["missing"] == nil)
        #expect(v["s"]?["k"] == nil)  // member lookup on a non-object
        #expect(v["s"]?.kindName == "a string")
        #expect(v["i"]?.kindName == "a number")
        #expect(v["f"]?.kindName == "a number")
        #expect(v["a"]?.kindName == "a list")
        #expect(v["o"]?.kindName == "an object")
        #expect(v["b"]?.kindName == "a boolean")
        #expect(v["o"]?["k"]?.kindName == "null")
    }

    @Test func objectSubscriptSetReplacesInPlaceAndNilRemoves() {
        var o = JSONObject([("a", 1), ("b", 2), ("c", 3)])
        o["b"] = "x"
        #expect(o.keys == ["a", "b", "c"])
        #expect(o["b"] == .string("x"))
        o["d"] = 4
        #expect(o.keys == ["a", "b", "c", "d"])
        o["a"] = nil
        #expect(o.keys == ["b", "c", "d"])
        #expect(o.count == 3)
    }

    @Test func objectEqualityIsOrderSensitive() {
        let a = JSONObject([("x", 1), ("y", 2)])
        let b = JSONObject([("y", 2), ("x", 1)])
        #expect(a != b)
        #expect(a == JSONObject([("x", 1), ("y", 2)]))
    }
}
