import Foundation
import Synchronization
import Testing

@testable import GatewayModel

private func json(_ text: String) throws -> JSONValue { try JSONValue.parse(text) }

/// The draft-4 validator behind API Gateway request validation (models are JSON Schema draft 4).
@Suite struct JSONSchemaTests {
    // MARK: - Every keyword, valid and invalid

    struct KeywordCase: Sendable, CustomTestStringConvertible {
        let schema: String
        let instance: String
        let valid: Bool
        /// A keyword expected among the errors when invalid.
        let keyword: String?
        init(_ schema: String, _ instance: String, _ valid: Bool, _ keyword: String?) {
            self.schema = schema
            self.instance = instance
            self.valid = valid
            self.keyword = keyword
        }
        var testDescription: String { "\(schema) <- \(instance)" }
    }

    /// Expectations were cross-checked with python-jsonschema 4.26's Draft4Validator (with its format
    /// checker); the rows marked "differs" are deliberate (see JSONSchema.swift).
    static let keywordCases: [KeywordCase] = [
        .init(##"{"type":"string"}"##, ##""a""##, true, nil),
        .init(##"{"type":"string"}"##, ##"1"##, false, "type"),
        .init(##"{"type":"integer"}"##, ##"1"##, true, nil),
        .init(##"{"type":"integer"}"##, ##"1.0"##, true, nil),  // python-jsonschema differs
        .init(##"{"type":"integer"}"##, ##"1e2"##, true, nil),  // python-jsonschema differs
        .init(##"{"type":"integer"}"##, ##"-0.0"##, true, nil),  // python-jsonschema differs
        .init(##"{"type":"integer"}"##, ##"12345678901234567890"##, true, nil),
        .init(##"{"type":"integer"}"##, ##"1.5"##, false, "type"),
        .init(##"{"type":"integer"}"##, ##""1""##, false, "type"),
        .init(##"{"type":"integer"}"##, ##"true"##, false, "type"),
        .init(##"{"type":"number"}"##, ##"1"##, true, nil),
        .init(##"{"type":"number"}"##, ##"1.5"##, true, nil),
        .init(##"{"type":"number"}"##, ##""1""##, false, "type"),
        .init(##"{"type":"number"}"##, ##"true"##, false, "type"),
        .init(##"{"type":"number"}"##, ##"null"##, false, "type"),
        .init(##"{"type":"null"}"##, ##"null"##, true, nil),
        .init(##"{"type":"null"}"##, ##"0"##, false, "type"),
        .init(##"{"type":"boolean"}"##, ##"false"##, true, nil),
        .init(##"{"type":"boolean"}"##, ##"0"##, false, "type"),
        .init(##"{"type":"array"}"##, ##"[]"##, true, nil),
        .init(##"{"type":"array"}"##, ##"{}"##, false, "type"),
        .init(##"{"type":"object"}"##, ##"{}"##, true, nil),
        .init(##"{"type":"object"}"##, ##"[]"##, false, "type"),
        .init(##"{"type":["string","null"]}"##, ##"null"##, true, nil),
        .init(##"{"type":["string","null"]}"##, ##""x""##, true, nil),
        .init(##"{"type":["string","null"]}"##, ##"1"##, false, "type"),
        .init(##"{"type":["integer","string"]}"##, ##"2.0"##, true, nil),  // python-jsonschema differs
        .init(##"{"enum":[1,"a",null,{"x":[1]}]}"##, ##"1"##, true, nil),
        .init(##"{"enum":[1,"a",null,{"x":[1]}]}"##, ##"1.0"##, true, nil),
        .init(##"{"enum":[1,"a",null,{"x":[1]}]}"##, ##""a""##, true, nil),
        .init(##"{"enum":[1,"a",null,{"x":[1]}]}"##, ##"null"##, true, nil),
        .init(##"{"enum":[1,"a",null,{"x":[1]}]}"##, ##"{"x":[1.0]}"##, true, nil),
        .init(##"{"enum":[1,"a",null,{"x":[1]}]}"##, ##""b""##, false, "enum"),
        .init(##"{"enum":[1,"a",null,{"x":[1]}]}"##, ##"true"##, false, "enum"),
        .init(##"{"enum":[1,"a",null,{"x":[1]}]}"##, ##"{"x":[1],"y":1}"##, false, "enum"),
        .init(##"{"enum":[false]}"##, ##"0"##, false, "enum"),
        .init(##"{"enum":[0]}"##, ##"false"##, false, "enum"),
        .init(##"{"enum":[{"a":1,"b":2}]}"##, ##"{"b":2,"a":1}"##, true, nil),
        .init(##"{"enum":["\u00e9"]}"##, ##""e\u0301""##, false, "enum"),
        .init(##"{"enum":[[1,2]]}"##, ##"[2,1]"##, false, "enum"),
        .init(##"{"multipleOf":3}"##, ##"9"##, true, nil),
        .init(##"{"multipleOf":3}"##, ##"10"##, false, "multipleOf"),
        .init(##"{"multipleOf":3}"##, ##"9.0"##, true, nil),
        .init(##"{"multipleOf":3}"##, ##"-9"##, true, nil),
        .init(##"{"multipleOf":2}"##, ##"4.5"##, false, "multipleOf"),
        .init(##"{"multipleOf":1.5}"##, ##"4.5"##, true, nil),
        .init(##"{"multipleOf":1.5}"##, ##"4"##, false, "multipleOf"),
        .init(##"{"multipleOf":0.1}"##, ##"0.3"##, true, nil),  // python-jsonschema differs
        .init(##"{"multipleOf":0.01}"##, ##"19.99"##, true, nil),  // python-jsonschema differs
        .init(##"{"multipleOf":0.1}"##, ##"0.35"##, false, "multipleOf"),
        .init(##"{"multipleOf":0.5}"##, ##"10"##, true, nil),
        .init(##"{"multipleOf":2}"##, ##""x""##, true, nil),
        .init(##"{"maximum":10}"##, ##"10"##, true, nil),
        .init(##"{"maximum":10}"##, ##"10.5"##, false, "maximum"),
        .init(##"{"maximum":10}"##, ##"11"##, false, "maximum"),
        .init(##"{"maximum":10}"##, ##""100""##, true, nil),
        .init(##"{"maximum":10,"exclusiveMaximum":true}"##, ##"10"##, false, "maximum"),
        .init(##"{"maximum":10,"exclusiveMaximum":true}"##, ##"10.0"##, false, "maximum"),
        .init(##"{"maximum":10,"exclusiveMaximum":true}"##, ##"9.99"##, true, nil),
        .init(##"{"maximum":10,"exclusiveMaximum":false}"##, ##"10"##, true, nil),
        .init(##"{"maximum":9007199254740992}"##, ##"9007199254740993"##, false, "maximum"),
        .init(##"{"maximum":2.5}"##, ##"2"##, true, nil),
        .init(##"{"minimum":1.5}"##, ##"1.5"##, true, nil),
        .init(##"{"minimum":1.5}"##, ##"1"##, false, "minimum"),
        .init(##"{"minimum":1.5}"##, ##"2"##, true, nil),
        .init(##"{"minimum":1,"exclusiveMinimum":true}"##, ##"1"##, false, "minimum"),
        .init(##"{"minimum":1,"exclusiveMinimum":true}"##, ##"1.0"##, false, "minimum"),
        .init(##"{"minimum":1,"exclusiveMinimum":true}"##, ##"1.0001"##, true, nil),
        .init(##"{"minimum":-5}"##, ##"-5.0"##, true, nil),
        .init(##"{"minimum":0}"##, ##"null"##, true, nil),
        .init(##"{"maxLength":1}"##, ##""\u00e9""##, true, nil),
        .init(##"{"maxLength":1}"##, ##""😀""##, true, nil),
        .init(##"{"maxLength":1}"##, ##""\ud83d\ude00""##, true, nil),
        .init(##"{"maxLength":1}"##, ##""ab""##, false, "maxLength"),
        .init(##"{"maxLength":1}"##, ##""e\u0301""##, false, "maxLength"),
        .init(##"{"maxLength":3}"##, ##""日本語""##, true, nil),
        .init(##"{"maxLength":0}"##, ##""""##, true, nil),
        .init(##"{"maxLength":1}"##, ##"12345"##, true, nil),
        .init(##"{"minLength":2}"##, ##""😀""##, false, "minLength"),
        .init(##"{"minLength":2}"##, ##""ab""##, true, nil),
        .init(##"{"minLength":2}"##, ##"5"##, true, nil),
        .init(##"{"pattern":"b"}"##, ##""abc""##, true, nil),
        .init(##"{"pattern":"b"}"##, ##""xyz""##, false, "pattern"),
        .init(##"{"pattern":"b"}"##, ##"3"##, true, nil),
        .init(##"{"pattern":"^a"}"##, ##""ab""##, true, nil),
        .init(##"{"pattern":"^a"}"##, ##""ba""##, false, "pattern"),
        .init(##"{"pattern":"^[a-z]+$"}"##, ##""abc""##, true, nil),
        .init(##"{"pattern":"^[a-z]+$"}"##, ##""abc1""##, false, "pattern"),
        .init(##"{"pattern":"[0-9]{3}"}"##, ##""x123y""##, true, nil),
        .init(##"{"pattern":"^\\d+$"}"##, ##""2024""##, true, nil),
        .init(##"{"pattern":"^$"}"##, ##""""##, true, nil),
        .init(##"{"items":{"type":"integer"}}"##, ##"[1,2]"##, true, nil),
        .init(##"{"items":{"type":"integer"}}"##, ##"[1,"a"]"##, false, "type"),
        .init(##"{"items":{"type":"integer"}}"##, ##"[]"##, true, nil),
        .init(##"{"items":{"type":"integer"}}"##, ##""x""##, true, nil),
        .init(##"{"items":[{"type":"string"},{"type":"integer"}]}"##, ##"["a",1]"##, true, nil),
        .init(##"{"items":[{"type":"string"},{"type":"integer"}]}"##, ##"[1,"a"]"##, false, "type"),
        .init(##"{"items":[{"type":"string"},{"type":"integer"}]}"##, ##"["a"]"##, true, nil),
        .init(##"{"items":[{"type":"string"},{"type":"integer"}]}"##, ##"["a",1,null]"##, true, nil),
        .init(##"{"items":[{"type":"string"}],"additionalItems":false}"##, ##"["a"]"##, true, nil),
        .init(##"{"items":[{"type":"string"}],"additionalItems":false}"##, ##"[]"##, true, nil),
        .init(##"{"items":[{"type":"string"}],"additionalItems":false}"##, ##"["a",1]"##, false, "additionalItems"),
        .init(##"{"items":[{"type":"string"}],"additionalItems":true}"##, ##"["a",1]"##, true, nil),
        .init(##"{"items":[{"type":"string"}],"additionalItems":{"type":"integer"}}"##, ##"["a",1,2]"##, true, nil),
        .init(##"{"items":[{"type":"string"}],"additionalItems":{"type":"integer"}}"##, ##"["a",1,"b"]"##, false, "type"),
        .init(##"{"additionalItems":false}"##, ##"[1,2,3]"##, true, nil),
        .init(##"{"items":{},"additionalItems":false}"##, ##"[1,2,3]"##, true, nil),
        .init(##"{"maxItems":2}"##, ##"[1,2]"##, true, nil),
        .init(##"{"maxItems":2}"##, ##"[1,2,3]"##, false, "maxItems"),
        .init(##"{"maxItems":2}"##, ##""abc""##, true, nil),
        .init(##"{"minItems":1}"##, ##"[]"##, false, "minItems"),
        .init(##"{"minItems":1}"##, ##"[1]"##, true, nil),
        .init(##"{"uniqueItems":true}"##, ##"[1,2]"##, true, nil),
        .init(##"{"uniqueItems":true}"##, ##"[1,1.0]"##, false, "uniqueItems"),
        .init(##"{"uniqueItems":true}"##, ##"[1,true]"##, true, nil),
        .init(##"{"uniqueItems":true}"##, ##"[0,false]"##, true, nil),
        .init(##"{"uniqueItems":true}"##, ##"[{"a":1,"b":2},{"b":2,"a":1}]"##, false, "uniqueItems"),
        .init(##"{"uniqueItems":true}"##, ##"[[1],[1.0]]"##, false, "uniqueItems"),
        .init(##"{"uniqueItems":true}"##, ##"[[1,2],[2,1]]"##, true, nil),
        .init(##"{"uniqueItems":true}"##, ##"["a","A"]"##, true, nil),
        .init(##"{"uniqueItems":true}"##, ##"[null,null]"##, false, "uniqueItems"),
        .init(##"{"uniqueItems":true}"##, ##"[]"##, true, nil),
        .init(##"{"uniqueItems":false}"##, ##"[1,1]"##, true, nil),
        .init(##"{"maxProperties":1}"##, ##"{"a":1}"##, true, nil),
        .init(##"{"maxProperties":1}"##, ##"{"a":1,"b":2}"##, false, "maxProperties"),
        .init(##"{"maxProperties":1}"##, ##"[1,2]"##, true, nil),
        .init(##"{"minProperties":1}"##, ##"{}"##, false, "minProperties"),
        .init(##"{"minProperties":1}"##, ##"[]"##, true, nil),
        .init(##"{"required":["a","b"]}"##, ##"{"a":1,"b":null}"##, true, nil),
        .init(##"{"required":["a","b"]}"##, ##"{"a":1}"##, false, "required"),
        .init(##"{"required":["a","b"]}"##, ##"[]"##, true, nil),
        .init(##"{"properties":{"a":{"type":"string"}}}"##, ##"{"a":"x"}"##, true, nil),
        .init(##"{"properties":{"a":{"type":"string"}}}"##, ##"{"a":1}"##, false, "type"),
        .init(##"{"properties":{"a":{"type":"string"}}}"##, ##"{"b":1}"##, true, nil),
        .init(##"{"properties":{"a":{"type":"string"}}}"##, ##""a""##, true, nil),
        .init(##"{"patternProperties":{"^x-":{"type":"string"}}}"##, ##"{"x-a":"s","y":1}"##, true, nil),
        .init(##"{"patternProperties":{"^x-":{"type":"string"}}}"##, ##"{"x-a":1}"##, false, "type"),
        .init(##"{"patternProperties":{"a":{"type":"integer"}}}"##, ##"{"bab":1}"##, true, nil),
        .init(##"{"patternProperties":{"a":{"type":"integer"}}}"##, ##"{"bab":"x"}"##, false, "type"),
        .init(##"{"properties":{"ab":{"type":"string"}},"patternProperties":{"^a":{"maxLength":1}}}"##, ##"{"ab":"xy"}"##, false, "maxLength"),
        .init(##"{"properties":{"ab":{"type":"string"}},"patternProperties":{"^a":{"maxLength":1}}}"##, ##"{"ab":"x"}"##, true, nil),
        .init(##"{"properties":{"a":{}},"patternProperties":{"^x-":{}},"additionalProperties":false}"##, ##"{"a":1,"x-y":2}"##, true, nil),
        .init(##"{"properties":{"a":{}},"patternProperties":{"^x-":{}},"additionalProperties":false}"##, ##"{"a":1,"b":2}"##, false, "additionalProperties"),
        .init(##"{"properties":{"a":{}},"patternProperties":{"^x-":{}},"additionalProperties":false}"##, ##"{"y-x-":1}"##, false, "additionalProperties"),
        .init(##"{"properties":{"a":{}},"additionalProperties":{"type":"integer"}}"##, ##"{"a":"s","b":1}"##, true, nil),
        .init(##"{"properties":{"a":{}},"additionalProperties":{"type":"integer"}}"##, ##"{"b":"s"}"##, false, "type"),
        .init(##"{"additionalProperties":false}"##, ##"{}"##, true, nil),
        .init(##"{"additionalProperties":false}"##, ##"{"a":1}"##, false, "additionalProperties"),
        .init(##"{"additionalProperties":false}"##, ##"[1]"##, true, nil),
        .init(##"{"dependencies":{"a":["b"]}}"##, ##"{"a":1,"b":2}"##, true, nil),
        .init(##"{"dependencies":{"a":["b"]}}"##, ##"{"a":1}"##, false, "dependencies"),
        .init(##"{"dependencies":{"a":["b"]}}"##, ##"{"b":1}"##, true, nil),
        .init(##"{"dependencies":{"a":{"required":["c"]}}}"##, ##"{"a":1,"c":1}"##, true, nil),
        .init(##"{"dependencies":{"a":{"required":["c"]}}}"##, ##"{"a":1}"##, false, "required"),
        .init(##"{"dependencies":{"a":{"required":["c"]}}}"##, ##"{}"##, true, nil),
        .init(##"{"allOf":[{"type":"integer"},{"minimum":2}]}"##, ##"3"##, true, nil),
        .init(##"{"allOf":[{"type":"integer"},{"minimum":2}]}"##, ##"1"##, false, "minimum"),
        .init(##"{"allOf":[{"type":"integer"},{"minimum":2}]}"##, ##""x""##, false, "type"),
        .init(##"{"anyOf":[{"type":"string"},{"minimum":2}]}"##, ##""x""##, true, nil),
        .init(##"{"anyOf":[{"type":"string"},{"minimum":2}]}"##, ##"3"##, true, nil),
        .init(##"{"anyOf":[{"type":"string"},{"minimum":2}]}"##, ##"1"##, false, "anyOf"),
        .init(##"{"oneOf":[{"type":"integer"},{"minimum":2}]}"##, ##"1"##, true, nil),
        .init(##"{"oneOf":[{"type":"integer"},{"minimum":2}]}"##, ##"2.5"##, true, nil),
        .init(##"{"oneOf":[{"type":"integer"},{"minimum":2}]}"##, ##"3"##, false, "oneOf"),
        .init(##"{"oneOf":[{"type":"integer"},{"minimum":2}]}"##, ##"1.5"##, false, "oneOf"),
        .init(##"{"not":{"type":"string"}}"##, ##"1"##, true, nil),
        .init(##"{"not":{"type":"string"}}"##, ##""x""##, false, "not"),
        .init(##"{"not":{}}"##, ##"1"##, false, "not"),
        .init(##"{"definitions":{"pos":{"type":"integer","minimum":1}},"properties":{"n":{"$ref":"#/definitions/pos"}}}"##, ##"{"n":1}"##, true, nil),
        .init(##"{"definitions":{"pos":{"type":"integer","minimum":1}},"properties":{"n":{"$ref":"#/definitions/pos"}}}"##, ##"{"n":0}"##, false, "minimum"),
        .init(##"{"definitions":{"a":{"type":"integer"}},"properties":{"x":{"$ref":"#/definitions/a","maximum":0}}}"##, ##"{"x":5}"##, true, nil),
        .init(##"{"definitions":{"a":{"type":"integer"}},"properties":{"x":{"$ref":"#/definitions/a","maximum":0}}}"##, ##"{"x":"s"}"##, false, "type"),
        .init(##"{"definitions":{"a/b":{"type":"integer"},"t~x":{"type":"string"},"sp ace":{"type":"null"}},"properties":{"p":{"$ref":"#/definitions/a~1b"},"q":{"$ref":"#/definitions/t~0x"},"r":{"$ref":"#/definitions/sp%20ace"}}}"##, ##"{"p":1,"q":"s","r":null}"##, true, nil),
        .init(##"{"definitions":{"a/b":{"type":"integer"},"t~x":{"type":"string"},"sp ace":{"type":"null"}},"properties":{"p":{"$ref":"#/definitions/a~1b"},"q":{"$ref":"#/definitions/t~0x"},"r":{"$ref":"#/definitions/sp%20ace"}}}"##, ##"{"p":"x"}"##, false, "type"),
        .init(##"{"definitions":{"a/b":{"type":"integer"},"t~x":{"type":"string"},"sp ace":{"type":"null"}},"properties":{"p":{"$ref":"#/definitions/a~1b"},"q":{"$ref":"#/definitions/t~0x"},"r":{"$ref":"#/definitions/sp%20ace"}}}"##, ##"{"q":1}"##, false, "type"),
        .init(##"{"definitions":{"a/b":{"type":"integer"},"t~x":{"type":"string"},"sp ace":{"type":"null"}},"properties":{"p":{"$ref":"#/definitions/a~1b"},"q":{"$ref":"#/definitions/t~0x"},"r":{"$ref":"#/definitions/sp%20ace"}}}"##, ##"{"r":1}"##, false, "type"),
        .init(##"{"type":"object","properties":{"children":{"type":"array","items":{"$ref":"#"}}},"additionalProperties":false}"##, ##"{"children":[{"children":[]}]}"##, true, nil),
        .init(##"{"type":"object","properties":{"children":{"type":"array","items":{"$ref":"#"}}},"additionalProperties":false}"##, ##"{"children":[{"x":1}]}"##, false, "additionalProperties"),
        .init(##"{"items":[{"type":"string"},{"$ref":"#/items/0"}]}"##, ##"["a","b"]"##, true, nil),
        .init(##"{"items":[{"type":"string"},{"$ref":"#/items/0"}]}"##, ##"["a",1]"##, false, "type"),
        .init(##"{"definitions":{"a":{"$ref":"#/definitions/b"},"b":{"$ref":"#/definitions/c"},"c":{"type":"boolean"}},"$ref":"#/definitions/a"}"##, ##"true"##, true, nil),
        .init(##"{"definitions":{"a":{"$ref":"#/definitions/b"},"b":{"$ref":"#/definitions/c"},"c":{"type":"boolean"}},"$ref":"#/definitions/a"}"##, ##"1"##, false, "type"),
        .init(##"{"format":"date-time"}"##, ##""2024-02-29T12:00:00Z""##, true, nil),
        .init(##"{"format":"date-time"}"##, ##""2024-01-01T00:00:00.123+05:30""##, true, nil),
        .init(##"{"format":"date-time"}"##, ##""2023-02-29T12:00:00Z""##, false, "format"),
        .init(##"{"format":"date-time"}"##, ##""2024-13-01T00:00:00Z""##, false, "format"),
        .init(##"{"format":"date-time"}"##, ##""2024-01-01""##, false, "format"),
        .init(##"{"format":"date-time"}"##, ##""yesterday""##, false, "format"),
        .init(##"{"format":"date-time"}"##, ##"5"##, true, nil),
        .init(##"{"format":"email"}"##, ##""a@b.c""##, true, nil),
        .init(##"{"format":"email"}"##, ##""abc""##, false, "format"),
        .init(##"{"format":"hostname"}"##, ##""example.com""##, true, nil),
        .init(##"{"format":"hostname"}"##, ##""-bad.com""##, false, "format"),  // python-jsonschema differs (no checker installed)
        .init(##"{"format":"hostname"}"##, ##""a..b""##, false, "format"),  // python-jsonschema differs (no checker installed)
        .init(##"{"format":"ipv4"}"##, ##""192.168.0.1""##, true, nil),
        .init(##"{"format":"ipv4"}"##, ##""256.1.1.1""##, false, "format"),
        .init(##"{"format":"ipv4"}"##, ##""1.2.3""##, false, "format"),
        .init(##"{"format":"ipv6"}"##, ##""::1""##, true, nil),
        .init(##"{"format":"ipv6"}"##, ##""2001:db8::8a2e:370:7334""##, true, nil),
        .init(##"{"format":"ipv6"}"##, ##""::ffff:192.0.2.1""##, true, nil),
        .init(##"{"format":"ipv6"}"##, ##""1:2:3:4:5:6:7:8""##, true, nil),
        .init(##"{"format":"ipv6"}"##, ##""1::2::3""##, false, "format"),
        .init(##"{"format":"ipv6"}"##, ##""12345::""##, false, "format"),
        .init(##"{"format":"ipv6"}"##, ##""1:2:3:4:5:6:7""##, false, "format"),
        .init(##"{"format":"uri"}"##, ##""https://example.com/x?y=1""##, true, nil),
        .init(##"{"format":"uri"}"##, ##""urn:isbn:0451450523""##, true, nil),
        .init(##"{"format":"uri"}"##, ##""not a uri""##, false, "format"),  // python-jsonschema differs (no checker installed)
        .init(##"{"format":"uri"}"##, ##""/relative/path""##, false, "format"),  // python-jsonschema differs (no checker installed)
        .init(##"{"format":"color"}"##, ##""anything""##, true, nil),
        .init(##"{"$schema":"http://json-schema.org/draft-04/schema#","id":"http://x/y","title":"t","description":"d","default":5,"foo":{"type":"string"}}"##, ##"1"##, true, nil),
    ]

    @Test(arguments: keywordCases)
    func keyword(_ c: KeywordCase) throws {
        let schema = JSONSchema(try json(c.schema))
        #expect(schema.schemaProblems() == [])
        let errors = schema.validate(try json(c.instance))
        #expect(errors.isEmpty == c.valid, "\(errors)")
        #expect(schema.isValid(try json(c.instance)) == c.valid)
        if let keyword = c.keyword {
            #expect(errors.contains { $0.keyword == keyword }, "\(errors)")
        }
    }

    // MARK: - API Gateway cases

    @Test func requiredNumbers() throws {
        let schema = JSONSchema(try json(#"{"type":"object","properties":{"a":{"type":"number"},"b":{"type":"number"}},"required":["a","b"]}"#))
        #expect(schema.schemaProblems() == [])
        let errors = schema.validate(try json(#"{"a": 1}"#))
        #expect(errors == [JSONSchemaError(instancePath: "", keyword: "required", message: "required property 'b' is missing")])
        #expect(errors.map(\.description) == ["(root): required property 'b' is missing"])
        #expect(schema.validate(try json(#"{"a": 1, "b": 2.5}"#)) == [])
    }

    @Test func oneOfNullOrExternalModel() throws {
        let statusURL = "https://apigateway.amazonaws.com/restapis/rvoneof001/models/StatusModel"
        let statusModel = try json(#"{"type":"object","properties":{"Status":{"type":"string"},"Order":{"type":"integer"}},"required":["Status","Order"]}"#)
        let schema = JSONSchema(
            try json(#"{"type":"object","properties":{"status":{"oneOf":[{"type":"null"},{"$ref":"\#(statusURL)"}]}},"required":["status"]}"#),
            resolveRef: { $0 == statusURL ? statusModel : nil })
        #expect(schema.schemaProblems() == [])
        #expect(schema.isValid(try json(#"{"status": null}"#)))
        #expect(schema.isValid(try json(#"{"status": {"Status": "ok", "Order": 3}}"#)))
        let empty = schema.validate(try json(#"{"status": {}}"#))
        #expect(empty.map(\.keyword) == ["oneOf"])
        #expect(empty.first?.instancePath == "/status")
        #expect(schema.validate(try json("{}")).map(\.keyword) == ["required"])
    }

    // MARK: - oneOf with 0, 1 and 2 matching branches

    @Test(arguments: [("\"x\"", 0), ("1.5", 1), ("10", 2)])
    func oneOfBranchCounts(instance: String, matching: Int) throws {
        let schema = JSONSchema(try json(#"{"oneOf":[{"type":"number"},{"type":"integer"},{"type":"null"}]}"#))
        let errors = schema.validate(try json(instance))
        switch matching {
        case 1: #expect(errors == [])
        case 0: #expect(errors.map(\.message) == ["value does not match any of the 3 schemas in oneOf"])
        default: #expect(errors.map(\.message) == ["value matches more than one schema in oneOf (schemas 0 and 1)"])
        }
    }

    // MARK: - Integer and number edge cases

    @Test func integerAndNumberEdges() throws {
        let integer = JSONSchema(["type": "integer"])
        #expect(integer.isValid(.double(1.0)))
        #expect(integer.isValid(.double(-0.0)))
        #expect(integer.isValid(.double(1e300)))
        #expect(integer.isValid(.int(Int.min)))
        #expect(!integer.isValid(.double(0.5)))
        #expect(!integer.isValid(.double(.infinity)))
        #expect(!integer.isValid(.double(.nan)))
        #expect(!integer.isValid(.bool(true)))
        let number = JSONSchema(["type": "number"])
        #expect(number.isValid(.int(Int.max)))
        #expect(number.isValid(.double(-2.5)))
        #expect(!number.isValid("1"))
        // Exact comparison between Int and Double around 2^63 and 2^53.
        #expect(!JSONSchema(["maximum": .double(9_223_372_036_854_775_807.0), "exclusiveMaximum": true]).isValid(.double(9_223_372_036_854_775_807.0)))
        #expect(JSONSchema(["maximum": .double(9_223_372_036_854_775_808.0)]).isValid(.int(Int.max)))
        #expect(!JSONSchema(["minimum": .double(-9_223_372_036_854_775_808.0), "exclusiveMinimum": true]).isValid(.int(Int.min)))
        #expect(!JSONSchema(["maximum": 9_007_199_254_740_992]).isValid(.int(9_007_199_254_740_993)))
        #expect(JSONSchema(["maximum": .double(9_007_199_254_740_992.0)]).isValid(.int(9_007_199_254_740_992)))
        // multipleOf: exact for integers (no trap on Int.min), tolerant for doubles.
        #expect(JSONSchema(["multipleOf": 1]).isValid(.int(Int.min)))
        #expect(JSONSchema(["multipleOf": 7]).isValid(.int(7 * 1_000_000_000_000_000)))
        #expect(!JSONSchema(["multipleOf": 7]).isValid(.int(7 * 1_000_000_000_000_000 + 1)))
        #expect(JSONSchema(["multipleOf": 0.1]).isValid(.double(0.7)))
        #expect(JSONSchema(["multipleOf": 0.0001]).isValid(.double(1e308)))  // quotient overflows: python says invalid
        #expect(!JSONSchema(["multipleOf": 0.3]).isValid(.double(1.0)))
        // NaN is not a JSON number; it must not validate against bounds nor crash.
        _ = JSONSchema(["maximum": 1, "multipleOf": 2]).validate(.double(.nan))
    }

    // MARK: - Strings

    @Test func lengthCountsCodePoints() throws {
        let one = JSONSchema(["minLength": 1, "maxLength": 1])
        #expect(one.isValid("é"))  // U+00E9
        #expect(one.isValid("😀"))  // one code point, two UTF-16 units
        #expect(one.isValid("👍"))
        #expect(!one.isValid("e\u{301}"))  // one grapheme, two code points
        #expect(!one.isValid("🇫🇷"))  // one grapheme, two code points
        let errors = JSONSchema(["maxLength": 2]).validate("😀😀😀")
        #expect(errors.map(\.message) == ["string has 3 characters, more than the maximum 2"])
    }

    @Test func patternSearchesRatherThanMatchesWhole() throws {
        let contains = JSONSchema(["pattern": "[0-9]+"])
        #expect(contains.isValid("abc123def"))
        #expect(!contains.isValid("abc"))
        let anchored = JSONSchema(["pattern": "^[0-9]+$"])
        #expect(!anchored.isValid("abc123def"))
        #expect(anchored.isValid("123"))
        // Non-BMP characters around the match do not disturb the UTF-16 ranges.
        #expect(JSONSchema(["pattern": "b$"]).isValid("😀ab"))
        let errors = JSONSchema(["pattern": "^a"]).validate("ba")
        #expect(errors == [JSONSchemaError(instancePath: "", keyword: "pattern", message: #"string "ba" does not match the pattern "^a""#)])
    }

    // MARK: - Objects and arrays

    @Test func additionalPropertiesWithPatternProperties() throws {
        let schema = JSONSchema(try json(#"""
            {"properties": {"id": {"type": "integer"}},
             "patternProperties": {"^x-": {"type": "string"}, "_at$": {"format": "date-time"}},
             "additionalProperties": false}
            """#))
        #expect(schema.isValid(try json(#"{"id": 1, "x-trace": "t", "created_at": "2024-01-01T00:00:00Z"}"#)))
        let errors = schema.validate(try json(#"{"id": 1, "x-n": 2, "other": 1, "y-x-": true}"#))
        #expect(errors.map(\.description) == [
            "/x-n: expected type string, found integer",
            "(root): property 'other' is not allowed (additionalProperties is false)",
            "(root): property 'y-x-' is not allowed (additionalProperties is false)",
        ])
    }

    @Test func positionalItemsWithAdditionalItemsFalse() throws {
        let schema = JSONSchema(try json(#"{"items": [{"type": "string"}, {"type": "integer"}], "additionalItems": false}"#))
        #expect(schema.isValid(try json(#"["a", 1]"#)))
        #expect(schema.isValid(try json(#"["a"]"#)))
        #expect(schema.validate(try json(#"[1, "a"]"#)).map(\.instancePath) == ["/0", "/1"])
        #expect(schema.validate(try json(#"["a", 1, null]"#)) == [
            JSONSchemaError(instancePath: "", keyword: "additionalItems", message: "array has 3 items, but only 2 are allowed (additionalItems is false)")
        ])
    }

    @Test func uniqueItemsComparesNumbersByValue() throws {
        let schema = JSONSchema(["uniqueItems": true])
        #expect(schema.validate([1, 1.0]).map(\.message) == ["array items 0 and 1 are equal"])
        #expect(!schema.isValid([.obj(["a": 1, "b": [2]]), .obj(["b": [2.0], "a": 1.0])]))
        #expect(schema.isValid([1, true, "1", [1], .obj(["a": 1])]))
        #expect(schema.isValid([0, false, nil, "", [], .obj([:])]))
        #expect(!schema.isValid([.obj([:]), "x", .obj([:])]))
        // Many distinct items stay fast (hash buckets, not pairwise).
        #expect(schema.isValid(.array((0..<20_000).map { .int($0) })))
    }

    @Test func duplicateKeysInInstanceUseTheLastValue() throws {
        let instance = JSONValue.object(JSONObject([("a", "x"), ("a", 1)]))
        #expect(JSONSchema(["properties": .obj(["a": .obj(["type": "integer"])])]).isValid(instance))
        #expect(JSONSchema(["maxProperties": 1]).isValid(instance))
    }

    // MARK: - $ref

    @Test func nestedRefsToDefinitions() throws {
        let schema = JSONSchema(try json(#"""
            {"definitions": {
                "address": {"type": "object", "properties": {"zip": {"$ref": "#/definitions/zip"}}, "required": ["zip"]},
                "zip": {"type": "string", "pattern": "^[0-9]{5}$"}},
             "type": "object",
             "properties": {"home": {"$ref": "#/definitions/address"}, "work": {"$ref": "#/definitions/address"}}}
            """#))
        #expect(schema.schemaProblems() == [])
        #expect(schema.isValid(try json(#"{"home": {"zip": "12345"}}"#)))
        let errors = schema.validate(try json(#"{"home": {"zip": "1234"}, "work": {}}"#))
        #expect(errors.map(\.instancePath) == ["/home/zip", "/work"])
        #expect(errors.map(\.keyword) == ["pattern", "required"])
    }

    @Test func externalModelRefsResolveInTheirOwnDocument() throws {
        let base = "https://apigateway.amazonaws.com/restapis/abc123/models/"
        let models: [String: JSONValue] = [
            // Pet's "#/definitions/name" is Pet's own definition (a string), not the root's (an integer).
            base + "Pet": try json(##"{"type":"object","properties":{"name":{"$ref":"#/definitions/name"},"owner":{"$ref":"Owner"}},"definitions":{"name":{"type":"string"}}}"##),
            base + "Owner": try json(##"{"type":"object","required":["id"],"definitions":{"id":{"type":"integer"}},"properties":{"id":{"$ref":"#/definitions/id"}}}"##),
        ]
        let asked = Mutex<[String]>([])
        let schema = JSONSchema(
            try json(##"{"definitions":{"name":{"type":"integer"}},"properties":{"pet":{"$ref":"\##(base)Pet"},"n":{"$ref":"#/definitions/name"},"ownerId":{"$ref":"\##(base)Owner#/definitions/id"}}}"##),
            resolveRef: { uri in
                asked.withLock { $0.append(uri) }
                return models[uri]
            })
        #expect(schema.schemaProblems() == [])
        // The relative "Owner" resolves against Pet's URI; fragments are not passed to resolveRef.
        #expect(Set(asked.withLock { $0 }) == [base + "Pet", base + "Owner"])
        #expect(schema.isValid(try json(#"{"pet": {"name": "Rex", "owner": {"id": 7}}, "n": 3, "ownerId": 9}"#)))
        let errors = schema.validate(try json(#"{"pet": {"name": 5, "owner": {"id": "x"}}, "n": "three", "ownerId": 1.5}"#))
        #expect(errors.map(\.instancePath) == ["/pet/name", "/pet/owner/id", "/n", "/ownerId"])
        #expect(schema.validate(try json(#"{"pet": {"owner": {}}}"#)).map(\.description) == ["/pet/owner: required property 'id' is missing"])
    }

    @Test func unresolvableRefIsAnErrorAndAProblem() throws {
        let url = "https://apigateway.amazonaws.com/restapis/abc/models/Missing"
        let schema = JSONSchema(try json(##"{"properties":{"a":{"$ref":"\##(url)"},"b":{"$ref":"#/definitions/none"}}}"##))
        #expect(schema.schemaProblems() == [
            "#/properties/a/$ref: cannot resolve $ref '\(url)'",
            "#/properties/b/$ref: $ref '#/definitions/none' points to nothing",
        ])
        #expect(schema.validate(try json(#"{"a": 1, "b": 2}"#)) == [
            JSONSchemaError(instancePath: "/a", keyword: "$ref", message: "cannot resolve $ref '\(url)'"),
            JSONSchemaError(instancePath: "/b", keyword: "$ref", message: "$ref '#/definitions/none' points to nothing"),
        ])
        #expect(schema.isValid(try json(#"{"c": 1}"#)))  // refs that are never reached do not fail an instance
    }

    // MARK: - Ref cycles terminate

    @Test func selfRefCycleTerminates() throws {
        let schema = JSONSchema(try json(##"{"$ref": "#"}"##))
        #expect(schema.schemaProblems().count == 1)
        #expect(schema.schemaProblems().first?.contains("cycle") == true)
        let errors = schema.validate(1)
        #expect(errors.map(\.keyword) == ["$ref"])
        #expect(errors.first?.message.contains("loops back") == true)
    }

    @Test func cyclesThroughDefinitionsAndCombinatorsTerminate() throws {
        let cases = [
            ##"{"definitions":{"a":{"$ref":"#/definitions/b"},"b":{"$ref":"#/definitions/a"}},"$ref":"#/definitions/a"}"##,
            ##"{"allOf":[{"$ref":"#"}]}"##,
            ##"{"not":{"$ref":"#"}}"##,
            ##"{"oneOf":[{"$ref":"#"},{"type":"string"}]}"##,
            ##"{"dependencies":{"a":{"$ref":"#"}}}"##,
        ]
        for text in cases {
            let schema = JSONSchema(try json(text))
            #expect(schema.schemaProblems().contains { $0.contains("cycle") }, "\(text)")
            // The cycle error is never swallowed by `not`/`oneOf`.
            #expect(schema.validate(try json(#"{"a": 1}"#)).contains { $0.keyword == "$ref" }, "\(text)")
        }
        // anyOf stops at the first matching branch, so a later recursive branch is reached only when needed.
        let anyOf = JSONSchema(try json(##"{"anyOf":[{"type":"string"},{"$ref":"#"}]}"##))
        #expect(anyOf.isValid("x"))
        #expect(anyOf.validate(1).contains { $0.keyword == "$ref" })
    }

    @Test func modelsReferringToEachOtherTerminate() throws {
        let a = "https://apigateway.amazonaws.com/restapis/cyc/models/A"
        let b = "https://apigateway.amazonaws.com/restapis/cyc/models/B"
        let docs: [String: JSONValue] = [a: ["$ref": .string(b)], b: ["$ref": .string(a)]]
        let schema = JSONSchema(["$ref": .string(a)], resolveRef: { docs[$0] })
        #expect(schema.schemaProblems().contains { $0.contains("cycle") })
        #expect(schema.validate(.obj(["x": 1])).map(\.keyword) == ["$ref"])

        // Mutual recursion that descends into the instance is fine, and bounded by the instance.
        let docs2: [String: JSONValue] = [
            a: .obj(["type": "object", "properties": .obj(["b": ["$ref": .string(b)]])]),
            b: .obj(["type": "object", "properties": .obj(["a": ["$ref": .string(a)]])]),
        ]
        let ok = JSONSchema(["$ref": .string(a)], resolveRef: { docs2[$0] })
        #expect(ok.schemaProblems() == [])
        #expect(ok.isValid(try json(#"{"b": {"a": {"b": {}}}}"#)))
        #expect(ok.validate(try json(#"{"b": {"a": {"b": 1}}}"#)).map(\.instancePath) == ["/b/a/b"])
    }

    @Test func deepAndExponentialEvaluationIsBounded() throws {
        let tree = JSONSchema(try json(##"{"type": "array", "items": {"$ref": "#"}}"##))
        var shallow: JSONValue = []
        for _ in 0..<100 { shallow = [shallow] }
        #expect(tree.isValid(shallow))
        var deep: JSONValue = []
        for _ in 0..<2_000 { deep = [deep] }
        #expect(tree.validate(deep).contains { $0.keyword == "depth" })

        // Two recursive branches that both fail deep down: 2^40 paths without the step budget.
        var blowup = JSONSchema(try json(##"{"anyOf": [{"type": "array", "items": {"$ref": "#"}}, {"type": "array", "items": {"$ref": "#"}, "minItems": 1}]}"##))
        var bad: JSONValue = "leaf"
        for _ in 0..<40 { bad = [bad] }
        // The default budget for this small instance is 200 000 steps.
        let errors = blowup.validate(bad)
        #expect(errors.contains { $0.keyword == "budget" })
        #expect(errors.contains { $0.message == "validation stopped: the schema needs more than 200000 steps" })
        blowup.maxSteps = 5_000
        #expect(blowup.validate(bad).contains { $0.message == "validation stopped: the schema needs more than 5000 steps" })
        // A large but simple instance is not cut short by the budget.
        let big = JSONSchema(try json(#"{"type": "array", "items": {"type": "object", "properties": {"a": {"type": "integer"}, "b": {"type": "string"}}}}"#))
        #expect(big.isValid(.array(Array(repeating: .obj(["a": 1, "b": "x"]), count: 60_000))))  // 240 000 steps, above the floor
    }

    // MARK: - schemaProblems

    struct ProblemCase: Sendable, CustomTestStringConvertible {
        let schema: String
        let problems: [String]
        init(schema: String, problem: String...) {
            self.schema = schema
            self.problems = problem
        }
        var testDescription: String { schema }
    }

    @Test(arguments: [
        ProblemCase(schema: #"{"type": "strin"}"#, problem: "#/type: unknown type 'strin'"),
        ProblemCase(schema: #"{"type": ["string", "any"]}"#, problem: "#/type/1: unknown type 'any'"),
        ProblemCase(schema: #"{"type": 5}"#, problem: "#/type: type must be a string or a list of strings, found a number"),
        ProblemCase(schema: #"{"properties": {"a": 5}}"#, problem: "#/properties/a: expected a schema (an object), found a number"),
        ProblemCase(schema: #"{"properties": []}"#, problem: "#/properties: properties must be an object, found a list"),
        ProblemCase(schema: #"{"items": [{}, "x"]}"#, problem: "#/items/1: expected a schema (an object), found a string"),
        ProblemCase(schema: #"{"additionalProperties": "no"}"#, problem: "#/additionalProperties: expected a schema (an object), found a string"),
        ProblemCase(schema: #"{"allOf": {}}"#, problem: "#/allOf: allOf must be a list of schemas, found an object"),
        ProblemCase(schema: #"{"not": []}"#, problem: "#/not: expected a schema (an object), found a list"),
        ProblemCase(schema: #"{"definitions": {"x": {"type": "nope"}}}"#, problem: "#/definitions/x/type: unknown type 'nope'"),
        ProblemCase(schema: ##"{"$ref": "#/definitions/x"}"##, problem: "#/$ref: $ref '#/definitions/x' points to nothing"),
        ProblemCase(schema: #"{"$ref": "https://apigateway.amazonaws.com/restapis/x/models/Nope"}"#,
                    problem: "#/$ref: cannot resolve $ref 'https://apigateway.amazonaws.com/restapis/x/models/Nope'"),
        ProblemCase(schema: ##"{"$ref": "#foo"}"##, problem: "#/$ref: $ref '#foo' has a fragment that is not a JSON pointer"),
        ProblemCase(schema: #"{"$ref": 1}"#, problem: "#/$ref: $ref must be a string, found a number"),
        ProblemCase(schema: ##"{"definitions": {"n": 1}, "$ref": "#/definitions/n"}"##, problem: "#/$ref: $ref '#/definitions/n' does not point to a schema (an object)",
                    "#/definitions/n: expected a schema (an object), found a number"),
        ProblemCase(schema: #"{"pattern": "(unclosed"}"#, problem: "#/pattern: invalid regular expression '(unclosed'"),
        ProblemCase(schema: #"{"patternProperties": {"[": {}}}"#, problem: "#/patternProperties/[: invalid regular expression '['"),
        ProblemCase(schema: #"{"multipleOf": 0}"#, problem: "#/multipleOf: multipleOf must be greater than 0"),
        ProblemCase(schema: #"{"minLength": -1}"#, problem: "#/minLength: minLength must be a non-negative integer"),
        ProblemCase(schema: #"{"maxItems": 1.5}"#, problem: "#/maxItems: maxItems must be a non-negative integer"),
        ProblemCase(schema: #"{"required": "a"}"#, problem: "#/required: required must be a list, found a string"),
        ProblemCase(schema: #"{"dependencies": {"a": [1]}}"#, problem: "#/dependencies/a: a property dependency must list property names (strings)"),
        ProblemCase(schema: #"{"exclusiveMaximum": "yes"}"#, problem: "#/exclusiveMaximum: exclusiveMaximum must be a boolean, found a string"),
        ProblemCase(schema: #"{"properties": {"a/b": {"type": "x"}}}"#, problem: "#/properties/a~1b/type: unknown type 'x'"),
    ])
    func schemaProblem(_ c: ProblemCase) throws {
        let schema = JSONSchema(try json(c.schema))
        #expect(schema.schemaProblems() == c.problems)
        // A bad schema still validates without crashing.
        for instance in ["null", "1", "\"s\"", "[1, 2]", #"{"a": 1}"#] { _ = schema.validate(try json(instance)) }
    }

    @Test func nonObjectRootAndExternalProblems() throws {
        #expect(JSONSchema("string").schemaProblems() == ["#: expected a schema (an object), found a string"])
        #expect(JSONSchema("string").isValid(1))
        let url = "https://apigateway.amazonaws.com/restapis/p/models/Bad"
        let schema = JSONSchema(["$ref": .string(url)], resolveRef: { $0 == url ? .obj(["type": "strnig"]) : nil })
        #expect(schema.schemaProblems() == ["\(url)#/type: unknown type 'strnig'"])
    }

    @Test func goodSchemasHaveNoProblems() throws {
        let schema = JSONSchema(try json(#"""
            {"$schema": "http://json-schema.org/draft-04/schema#", "title": "Order", "type": "object",
             "definitions": {"money": {"type": "number", "minimum": 0, "exclusiveMinimum": true, "multipleOf": 0.01}},
             "properties": {
                "id": {"type": "string", "pattern": "^[A-Z]{3}-[0-9]+$", "minLength": 5, "maxLength": 20},
                "total": {"$ref": "#/definitions/money"},
                "tags": {"type": "array", "items": {"type": "string"}, "uniqueItems": true, "maxItems": 10},
                "kind": {"enum": ["a", "b"]},
                "extra": {"anyOf": [{"type": "null"}, {"not": {"type": "array"}}]}},
             "patternProperties": {"^x-": {}},
             "additionalProperties": false,
             "dependencies": {"total": ["id"], "tags": {"minProperties": 2}},
             "required": ["id"], "minProperties": 1, "maxProperties": 20}
            """#))
        #expect(schema.schemaProblems() == [])
        #expect(schema.isValid(try json(#"{"id": "ABC-12", "total": 19.99, "tags": ["a"], "x-y": 1}"#)))
    }

    // MARK: - Error paths and messages

    @Test func errorInstancePaths() throws {
        let schema = JSONSchema(try json(#"""
            {"properties": {
                "items": {"type": "array", "items": {"properties": {"a": {"type": "string"}}}},
                "a/b": {"type": "integer"}, "t~": {"type": "integer"}, "": {"type": "integer"}}}
            """#))
        let errors = schema.validate(try json(#"{"items": [{"a": "ok"}, {"a": 1}], "a/b": "x", "t~": "x", "": "x"}"#))
        #expect(errors.map(\.instancePath) == ["/items/1/a", "/a~1b", "/t~0", "/"])
        #expect(errors.first?.description == "/items/1/a: expected type string, found integer")
        #expect(JSONSchema(["type": "object"]).validate([]).map(\.description) == ["(root): expected type object, found array"])
    }

    @Test func messages() throws {
        func message(_ schema: String, _ instance: String) throws -> [String] {
            JSONSchema(try json(schema)).validate(try json(instance)).map(\.message)
        }
        #expect(try message(#"{"type": ["string", "null"]}"#, "1.5") == ["expected one of types [string, null], found number"])
        #expect(try message(#"{"enum": ["a", 1]}"#, "2") == [#"2 is not one of the allowed values ["a",1]"#])
        #expect(try message(#"{"maximum": 3}"#, "4") == ["4 is greater than the maximum 3"])
        #expect(try message(#"{"minimum": 3, "exclusiveMinimum": true}"#, "3") == ["3 is not greater than the exclusive minimum 3"])
        #expect(try message(#"{"multipleOf": 2}"#, "3") == ["3 is not a multiple of 2"])
        #expect(try message(#"{"dependencies": {"a": ["b"]}}"#, #"{"a": 1}"#) == ["property 'a' requires property 'b'"])
        #expect(try message(#"{"not": {"type": "null"}}"#, "null") == ["value must not match the schema in not"])
        #expect(try message(#"{"anyOf": [{"type": "null"}, {"type": "string"}]}"#, "1") == ["value does not match any of the 2 schemas in anyOf"])
        #expect(try message(#"{"format": "ipv4"}"#, #""1.2.3""#) == [#"string "1.2.3" is not a valid ipv4"#])
        #expect(try message(#"{"minItems": 2}"#, "[1]") == ["array has 1 items, fewer than the minimum 2"])
        #expect(try message(#"{"minProperties": 1}"#, "{}") == ["object has 0 properties, fewer than the minimum 1"])
    }

    @Test func allErrorsAreReported() throws {
        let schema = JSONSchema(try json(#"{"type": "object", "required": ["a", "b"], "properties": {"c": {"type": "string"}}, "maxProperties": 0}"#))
        let errors = schema.validate(try json(#"{"c": 1}"#))
        #expect(errors.map(\.keyword).sorted() == ["maxProperties", "required", "required", "type"])
    }

    @Test func validatesConcurrently() async throws {
        let schema = JSONSchema(try json(#"{"type": "object", "properties": {"n": {"type": "integer", "pattern": "x"}, "s": {"pattern": "^[a-z]+$"}}}"#))
        let results = await withTaskGroup(of: Bool.self) { group in
            for i in 0..<16 {
                group.addTask { schema.isValid(.obj(["n": .int(i), "s": i.isMultiple(of: 2) ? "abc" : "ABC"])) }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results.filter { $0 }.count == 8)
    }
}
