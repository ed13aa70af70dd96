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
            roleSession = nil
            cognitoToken = nil
            identityName = nil
            print("requests are unsigned (anonymous)")
            return
        }
        guard let id = env.world.identities.first(where: { $0.name == args[0] || $0.arn == args[0] }) else {
            throw ShellError("no identity '\(args[0])' in the model", hint: identityHint())
        }
        guard !id.isRole else {
            throw ShellError("\(id.name) is a role (\(id.arn)): a role has no long-term keys to sign with",
                             hint: "choose a user, then `assume-role \(id.name)`; requests are then signed as the role session")
        }
        // A valid choice ends a role session and a Cognito sign-in (a failed `as` leaves them as they were).
        roleSession = nil
        cognitoToken = nil
        identityName = id.name
        if let user = id.cognito {
            // Signed in now: the token is valid for an hour of virtual time (policy.md §7).
            cognitoToken = CognitoToken.mint(user, nowMillis: env.clock.millis)
            print("requests carry \(user.username)'s Cognito \(user.tokenUse) token from user pool \(user.userPoolId) in \(cognitoHeader) (valid until \(VirtualClock(millis: env.clock.millis + CognitoToken.lifetimeSeconds * 1000).iso8601))")
            return
        }
        print("requests are signed as \(id.arn) (access key \(id.accessKeyId))")
    }

    func whoami() {
        if let s = roleSession {
            let left = (s.expiresAtMillis - env.clock.millis) / 1000
            print("\(s.identity.arn): role session assumed by \(s.assumedBy), access key \(s.identity.accessKeyId), "
                  + (left > 0 ? "expires in \(left) s" : "expired \(-left) s ago"))
            return
        }
        guard let id = currentIdentity else { print("anonymous (requests are unsigned)"); return }
        if let user = id.cognito {
            print("\(id.name): Cognito user \(user.username) of \(user.userPoolId) (\(user.tokenUse) token in \(cognitoHeader))")
            if let t = cognitoToken { print(t) }
            return
        }
        print("\(id.name): \(id.arn), account \(id.account), access key \(id.accessKeyId), \(id.policies.count) identity polic\(id.policies.count == 1 ? "y" : "ies")")
    }

    func assumeRole(_ args: [String]) throws {
        guard let roleRef = args.first, !roleRef.hasPrefix("-") else { throw ShellError("usage: assume-role ROLE [--session NAME] [--duration SECONDS]", hint: roleHint()) }
        var session = "gwsh-session", duration = 3600
        var i = 1
        while i < args.count {
            guard i + 1 < args.count else { throw ShellError("\(args[i]) needs a value", hint: "--session NAME, --duration SECONDS") }
            switch args[i] {
            case "--session":
                session = args[i + 1]
            case "--duration":
                // sts:AssumeRole takes 900 s to the role's maximum (1 hour unless raised, up to 12 hours).
                guard let d = Int(args[i + 1]), (900...43_200).contains(d) else { throw ShellError("--duration is 900 to 43200 seconds", hint: "--duration 3600") }
                duration = d
            default: throw ShellError("unexpected argument '\(args[i])'", hint: "--session NAME, --duration SECONDS")
            }
            i += 2
        }
        guard let caller = roleSession?.identity ?? currentIdentity, caller.cognito == nil else {
            throw ShellError("an anonymous caller cannot call sts:AssumeRole", hint: "choose an IAM identity first: " + identityHint())
        }
        guard let role = env.world.identities.first(where: { ($0.name == roleRef || $0.arn == roleRef) && $0.isRole }) else {
            throw ShellError("no role '\(roleRef)' among the model's identities", hint: roleHint())
        }
        do throws(STS.Refusal) {
            let c = try STS.assumeRole(caller: caller, role: role, sessionName: session, durationSeconds: duration, env: env)
            roleSession = c
            print("assumed \(c.identity.arn) (access key \(c.identity.accessKeyId), expires \(VirtualClock(millis: c.expiresAtMillis).iso8601))")
        } catch {
            throw ShellError("An error occurred (AccessDenied) when calling the AssumeRole operation: \(error.message)", hint: error.why)
        }
    }

    func roleHint() -> String {
        let roles = env.world.identities.filter(\.isRole).map(\.name)
        return roles.isEmpty ? "the model has no roles (an identity whose arn is arn:aws:iam::ACCOUNT:role/NAME, with a trustPolicy)" : "roles: " + roles.joined(separator: ", ")
    }

    var currentIdentity: Identity? { identityName.flatMap { n in env.world.identities.first { $0.name == n } } }

    /// The header a Cognito token goes in: the identity source of the current API's first Cognito authorizer, else
    /// Authorization.
    var cognitoHeader: String {
        let source = env.currentApi?.authorizers.first { $0.type == .cognito }?.identitySource.first ?? "method.request.header.Authorization"
        return String(source.dropFirst("method.request.header.".count))
    }

    func identityHint() -> String {
        let names = env.world.identities.map(\.name)
        return names.isEmpty ? "the model has no identities (add `identities:` with an arn and policies)" : "identities: " + names.joined(separator: ", ") + ", or anonymous"
    }

    /// The request signed by the current identity at the current virtual time (unchanged when anonymous or when the
    /// request already carries an Authorization header).
    func signed(_ r: ClientRequest) -> ClientRequest {
        if let token = cognitoToken {
            var out = r
            if !out.headers.contains(cognitoHeader) { out.headers.add(cognitoHeader, token) }
            return out
        }
        guard let id = roleSession?.identity ?? currentIdentity, !r.headers.contains("Authorization"), let apiId = env.currentApiId else { return r }
        var out = r
        let host = r.host ?? r.headers["Host"] ?? "\(apiId).execute-api.\(env.world.region).amazonaws.com"
        let amzDate = env.clock.amzDate
        let raw = r.rawPath
        let q = raw.firstIndex(of: "?")
        let sig = SigV4.sign(SigV4Request(method: r.method, path: q.map { String(raw[..<$0]) } ?? raw, query: q.map { String(raw[raw.index(after: $0)...]) } ?? "",
                                          headers: [("host", host), ("x-amz-date", amzDate)] + (roleSession.map { [("x-amz-security-token", $0.sessionToken)] } ?? []),
                                          body: r.body ?? []),
                             credentials: SigV4Credentials(accessKeyId: id.accessKeyId, secretAccessKey: id.secretAccessKey),
                             amzDate: amzDate, region: env.world.region, service: "execute-api")
        if !out.headers.contains("Host") { out.headers.add("Host", host) }
        out.headers.add("X-Amz-Date", amzDate)
        if let s = roleSession { out.headers.add("X-Amz-Security-Token", s.sessionToken) }
        out.headers.add("Authorization", sig.authorization)
        return out
    }
}
