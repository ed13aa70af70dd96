import Foundation
import Gateway
import GatewayModel

/// The declarative Lambda functions of a case (conformance README, `functions`), and what each received.
public final class CaseFunctions: LambdaInvoker, @unchecked Sendable {
    enum Behaviour {
        case proxyEcho, echo, returns(JSONValue), returnsRaw(String), raises(JSONValue), fromBody
    }

    private let behaviours: [String: Behaviour]
    private let lock = NSLock()
    private var received: [(function: String, event: String)] = []

    public init(_ spec: JSONObject) throws(ConformanceFileError) {
        var b: [String: Behaviour] = [:]
        for (name, v) in spec {
            guard let o = v.objectValue, o.count == 1, let key = o.keys.first else {
                throw ConformanceFileError(file: "", message: "function \(name): expected one of behaviour, returns, raises, from-body")
            }
            switch key {
            case "behaviour":
                switch o["behaviour"]?.stringValue {
                case "proxy-echo": b[name] = .proxyEcho
                case "echo": b[name] = .echo
                case let other: throw ConformanceFileError(file: "", message: "function \(name): unknown behaviour \(other ?? "?")")
                }
            case "returns":
                if let raw = o["returns"]?["raw"]?.stringValue, o["returns"]?.objectValue?.count == 1 { b[name] = .returnsRaw(raw) } else { b[name] = .returns(o["returns"]!) }
            case "raises": b[name] = .raises(o["raises"]!)
            case "from-body": b[name] = .fromBody
            default: throw ConformanceFileError(file: "", message: "function \(name): unknown key \(key)")
            }
        }
        behaviours = b
    }

    /// The event the integration's function received last (authorizers are not recorded here).
    public var lastEvent: JSONValue? {
        lock.lock(); defer { lock.unlock() }
        return received.last.flatMap { try? JSONValue.parse($0.event) }
    }

    public func hasFunction(_ name: String) -> Bool { behaviours[name] != nil }

    public func invoke(_ inv: LambdaInvocation) -> LambdaResult {
        lock.lock()
        received.append((inv.functionName, inv.payload))
        lock.unlock()
        guard let b = behaviours[inv.functionName] else {
            return LambdaResult(outcome: .functionError(error: .obj(["errorMessage": "no such function", "errorType": "ResourceNotFoundException"]), kind: "Unhandled"))
        }
        switch b {
        case .proxyEcho:
            // {"statusCode": 200, "body": JSON(event)}
            let body = (try? JSONValue.parse(inv.payload))?.serialized() ?? inv.payload
            return LambdaResult(outcome: .success(payload: JSONValue.obj(["statusCode": 200, "body": .string(body)]).serialized()))
        case .echo:
            return LambdaResult(outcome: .success(payload: inv.payload))
        case .returns(let v):
            return LambdaResult(outcome: .success(payload: v.serialized(.spaced)))
        case .returnsRaw(let s):
            return LambdaResult(outcome: .success(payload: s))
        case .raises(let e):
            return LambdaResult(outcome: .functionError(error: e, kind: "Unhandled"))
        case .fromBody:
            guard let event = try? JSONValue.parse(inv.payload) else {
                return LambdaResult(outcome: .functionError(error: .obj(["errorMessage": "event is not JSON", "errorType": "ValueError"]), kind: "Unhandled"))
            }
            var text = event["body"]?.stringValue
            if event["isBase64Encoded"]?.boolValue == true, let t = text, let d = Data(base64Encoded: t) {
                text = String(decoding: d, as: UTF8.self)
            }
            guard let t = text, let v = try? JSONValue.parse(t) else {
                // json.loads(None) in the recording's function raises (lambda-payloads.md §2.2, empty-response).
                return LambdaResult(outcome: .functionError(error: .obj(["errorMessage": "the JSON object must be str, bytes or bytearray, not NoneType", "errorType": "TypeError"]), kind: "Unhandled"))
            }
            return LambdaResult(outcome: .success(payload: v.serialized(.spaced)))
        }
    }
}
