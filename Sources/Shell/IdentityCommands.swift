import Foundation
import Gateway
import GatewayModel
import Policy

/// `as NAME | anonymous` and `whoami`: who the shell's requests come from (MODEL.md `identities`). Requests of an
/// identity are signed with SigV4 for execute-api at the virtual clock's time, over `host` and `x-amz-date`
/// (reference/policy.md §5); anonymous requests carry no signature.
extension ShellSession {
    func asIdentity(_ args: [String]) throws {
        guard args.count == 1 else { throw ShellError("usage: as NAME | anonymous", hint: identityHint()) }
        if args[0] == "anonymous" {
            identityName = nil
            print("requests are unsigned (anonymous)")
            return
        }
        guard let id = env.world.identities.first(where: { $0.name == args[0] || $0.arn == args[0] }) else {
            throw ShellError("no identity '\(args[0])' in the model", hint: identityHint())
        }
        identityName = id.name
        print("requests are signed as \(id.arn) (access key \(id.accessKeyId))")
    }

    func whoami() {
        guard let id = currentIdentity else { print("anonymous (requests are unsigned)"); return }
        print("\(id.name): \(id.arn), account \(id.account), access key \(id.accessKeyId), \(id.policies.count) identity polic\(id.policies.count == 1 ? "y" : "ies")")
    }

    var currentIdentity: Identity? { identityName.flatMap { n in env.world.identities.first { $0.name == n } } }

    func identityHint() -> String {
        let names = env.world.identities.map(\.name)
        return names.isEmpty ? "the model has no identities (add `identities:` with an arn and policies)" : "identities: " + names.joined(separator: ", ") + ", or anonymous"
    }

    /// The request signed by the current identity at the current virtual time (unchanged when anonymous or when the
    /// request already carries an Authorization header).
    func signed(_ r: ClientRequest) -> ClientRequest {
        guard let id = currentIdentity, !r.headers.contains("Authorization"), let apiId = env.currentApiId else { return r }
        var out = r
        let host = r.host ?? r.headers["Host"] ?? "\(apiId).execute-api.\(env.world.region).amazonaws.com"
        let amzDate = env.clock.amzDate
        let raw = r.rawPath
        let q = raw.firstIndex(of: "?")
        let sig = SigV4.sign(SigV4Request(method: r.method, path: q.map { String(raw[..<$0]) } ?? raw, query: q.map { String(raw[raw.index(after: $0)...]) } ?? "",
                                          headers: [("host", host), ("x-amz-date", amzDate)], body: r.body ?? []),
                             credentials: SigV4Credentials(accessKeyId: id.accessKeyId, secretAccessKey: id.secretAccessKey),
                             amzDate: amzDate, region: env.world.region, service: "execute-api")
        if !out.headers.contains("Host") { out.headers.add("Host", host) }
        out.headers.add("X-Amz-Date", amzDate)
        out.headers.add("Authorization", sig.authorization)
        return out
    }
}
