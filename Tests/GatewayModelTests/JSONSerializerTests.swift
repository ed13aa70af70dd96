import GatewayModel
import Testing

/// Serialisation: compact (JavaScript) vs spaced (Python) separators, string escaping, number formatting.
@Suite struct JSONSerializerTests {
    static let sample: JSONValue = .obj([
        "a": 1, "b": [1, 2, .obj(["c": .null])], "d": .obj([:]), "e": [], "f": true, "g": "x",
    ])

    @Test func compactHasNoSpaces() {
        #expect(Self.sample.serialized() == #"{"a":1,"b":[1,2,{"c":null}],"d":{},"e":[],"f":true,"g":"x"}"#)
        #expect(Self.sample.serialized(.compact) == Self.sample.serialized())
    }

    @Test func spacedPutsOneSpaceAfterCommaAndColon() {
        #expect(Self.sample.serialized(.spaced) == #"{"a": 1, "b": [1, 2, {"c": null}], "d": {}, "e": [], "f": true, "g": "x"}"#)
    }

    /// The shape Lambda's Python runtime prints for a function error (rest-request-flow.md §5.4).
    @Test func spacedMatchesPythonErrorObject() {
        let e: JSONValue = .obj(["errorMessage": "boom", "errorType": "Exception", "stackTrace": []])
        #expect(e.serialized(.spaced) == #"{"errorMessage": "boom", "errorType": "Exception", "stackTrace": []}"#)
    }

    struct StringCase: Sendable, CustomTestStringConvertible {
        let input: String
        let expected: String
        var testDescription: String { expected }
    }

    @Test(arguments: [
        StringCase(input: "plain", expected: #""plain""#),
        StringCase(input: "", expected: #""""#),
        StringCase(input: "say \"hi\"", expected: #""say \"hi\"""#),
        StringCase(input: "back\\slash", expected: #""back\\slash""#),
        StringCase(input: "a/b", expected: #""a/b""#),  // '/' is not escaped
        StringCase(input: "\n\r\t", expected: #""\n\r\t""#),
        StringCase(input: "\u{08}\u{0C}", expected: #""\b\f""#),
        StringCase(input: "\u{00}", expected: #""\u0000""#),
        StringCase(input: "\u{01}", expected: #""\u0001""#),
        StringCase(input: "\u{0B}", expected: #""\u000b""#),
        StringCase(input: "\u{1F}", expected: #""\u001f""#),
        StringCase(input: "\u{7F}", expected: "\"\u{7F}\""),  // DEL is not a control character for JSON
        StringCase(input: "é€😀", expected: "\"é€😀\""),  // non-ASCII stays raw UTF-8
        StringCase(input: "\u{2028}", expected: "\"\u{2028}\""),
    ])
    func escapesString(_ c: StringCase) throws {
        #expect(JSONValue.quoted(c.input) == c.expected)
        #expect(JSONValue.string(c.input).serialized() == c.expected)
        // What is written parses back to the same string.
        #expect(try JSONValue.parse(c.expected) == .string(c.input))
    }

    @Test func keysAreEscapedToo() {
        let v: JSONValue = .obj(["a\"b\n": 1])
        #expect(v.serialized() == #"{"a\"b\n":1}"#)
    }

    struct NumberCase: Sendable, CustomTestStringConvertible {
        let value: JSONValue
        let expected: String
        var testDescription: String { expected }
    }

    @Test(arguments: [
        NumberCase(value: .int(0), expected: "0"),
        NumberCase(value: .int(-42), expected: "-42"),
        NumberCase(value: .int(Int.max), expected: "9223372036854775807"),
        NumberCase(value: .double(1), expected: "1.0"),
        NumberCase(value: .double(-3), expected: "-3.0"),
        NumberCase(value: .double(0.5), expected: "0.5"),
        NumberCase(value: .double(2.25), expected: "2.25"),
        NumberCase(value: .double(.nan), expected: "null"),
        NumberCase(value: .double(.infinity), expected: "null"),
        NumberCase(value: .double(-.infinity), expected: "null"),
    ])
    func formatsNumber(_ c: NumberCase) {
        #expect(c.value.serialized() == c.expected)
        #expect(c.value.serialized(.spaced) == c.expected)
    }

    @Test func roundTripKeepsBytesOfCompactText() throws {
        let texts = [
            #"{"resource":"/{proxy+}","path":"/p","headers":null,"n":[1,2.5,-3],"o":{"z":true,"a":false}}"#,
            #"[{"a":"\u0001\n"},[],{}]"#,
        ]
        for t in texts {
            #expect(try JSONValue.parse(t).serialized() == t)
        }
    }

    @Test func literalsBuildValues() {
        let v: JSONValue = ["a": [1, 2.5, "s", true, nil]]
        #expect(v == .object(JSONObject([("a", .array([.int(1), .double(2.5), .string("s"), .bool(true), .null]))])))
    }
}
