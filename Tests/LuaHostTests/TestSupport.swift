import Foundation
import Gateway
import GatewayModel
import LuaHost
import Testing

/// Every LuaHost test runs in this one serialized suite: the Ctrl-C flag is process-wide (one test raising it
/// must not cancel another's invocation), and the time-limit tests should not share the CPU with each other.
@Suite(.serialized) struct LuaHostTests {}

/// A host with one plugin loaded from `source` as `plugins/test.lua`.
func host(_ source: String, limits: LuaLimits = .default, seed: UInt64 = 0) throws -> LuaHost {
    let host = try LuaHost(limits: limits, seed: seed)
    try host.loadPlugin(source: source, chunkName: "plugins/test.lua")
    return host
}

/// An invocation as the gateway makes one.
func call(_ name: String, _ payload: String = "{}") -> LambdaInvocation {
    LambdaInvocation(
        functionName: name, payload: payload, awsRequestId: "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
        functionArn: "arn:aws:lambda:us-east-1:111111111111:function:\(name)", timeoutMillis: 3000,
        nowMillis: 1_772_712_000_000)
}

/// The repository's plugins/ directory.
func pluginPath(_ file: String) -> String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("plugins").appendingPathComponent(file).path
}

extension LambdaResult {
    /// The success payload, or nil.
    var payload: String? {
        if case .success(let payload) = outcome { return payload }
        return nil
    }

    /// The function error object as compact JSON, or nil.
    var errorJSON: String? {
        if case .functionError(let error, "Unhandled") = outcome { return error.serialized(.compact) }
        return nil
    }

    /// The function error object, or nil.
    var error: JSONValue? {
        if case .functionError(let error, _) = outcome { return error }
        return nil
    }
}
