import Foundation
import Testing
@testable import Templates

/// Templates generated from a small VTL grammar (plus broken syntax, random bytes and random Unicode) must
/// never crash or hang the engine: each one parses and renders, or throws a `VelocityError`. Complements
/// RobustnessTests, which mutates the recorded case templates.
@Suite struct GeneratedTemplateFuzzTests {
    static let seed: UInt64 = 0xF022_5EED
    static let count = 24_000
    /// A single template slower than this is reported as a (near-)hang.
    static let slowTemplate: Duration = .seconds(1)
    /// FUZZ_TRACE=1 prints each template to stderr before running it, to find one that hangs or crashes.
    static let trace = ProcessInfo.processInfo.environment["FUZZ_TRACE"] != nil

    // MARK: the tests

    @Test(.timeLimit(.minutes(1))) func generatedTemplatesParseOrRenderOrThrow() {
        var gen = FuzzTemplateGenerator(seed: Self.seed)
        var parseErrors = 0, runtimeErrors = 0, rendered = 0
        let clock = ContinuousClock()
        let started = clock.now
        for n in 0..<Self.count {
            let src = gen.template()
            if Self.trace { FileHandle.standardError.write(Data("fuzz \(n): \(Self.show(src))\n".utf8)) }
            let t0 = clock.now
            switch Self.run(src, name: "fuzz\(n)", context: Self.context(n)) {
            case .parseError(let e):
                parseErrors += 1
                #expect(e.line >= 1 && e.column >= 1, "parse error without a position: \(e) for \(Self.show(src))")
            case .runtimeError:
                runtimeErrors += 1
            case .rendered:
                rendered += 1
            }
            let took = clock.now - t0
            if took > Self.slowTemplate {
                Issue.record("template \(n) took \(took): \(Self.show(src))")
            }
        }
        let traps = Self.runTraps()
        print("fuzz: \(Self.count) generated templates ran (\(parseErrors) parse errors, \(runtimeErrors) runtime errors, "
            + "\(rendered) rendered) + \(traps) recursion/size traps in \(clock.now - started)")
        #expect(parseErrors + runtimeErrors + rendered == Self.count)
        // The generator is meant to reach all three outcomes in bulk; if one disappears it has degenerated.
        #expect(parseErrors > Self.count / 20)
        #expect(runtimeErrors > Self.count / 50)
        #expect(rendered > Self.count / 4)
    }

    @Test(.timeLimit(.minutes(1))) func generatedTemplatesRenderDeterministically() {
        var gen = FuzzTemplateGenerator(seed: Self.seed ^ 0xD1CE)
        var compared = 0
        for n in 0..<(Self.count / 2) {
            let src = gen.template()
            guard let t = try? VelocityTemplate.parse(src, name: "det\(n)") else { continue }
            let a = Self.outcome(t, Self.context(n)), b = Self.outcome(t, Self.context(n))
            compared += 1
            if a != b {
                Issue.record("template \(n) renders differently twice: \(a) vs \(b) for \(Self.show(src))")
            }
        }
        print("fuzz: \(compared) parsed templates rendered twice for determinism")
        #expect(compared > Self.count / 8)
    }

    /// Inputs that crashed the process (stack overflow) or exhausted memory before the engine bounded its
    /// recursion and string sizes (Parser.maxNesting, Renderer.maxExpressionDepth, Rendering.maxDepth, Limits):
    /// each must now render or throw, quickly.
    @Test func formerCrashers() {
        let deep = 5_000
        let crashers: [String] = [
            "#set($m = {})$m.put('k', $m)$m",  // Java prints {k=(this Map)}
            "#set($a = [])#set($b = [$a])$a.add($b)$a",
            "#set($a = [])#set($b = {'k': $a})$a.add($b)$a",
            "#set($a = [])$a.add($a)$a.hashCode()",
            "#set($m = {})$m.put('k', $m)$m.hashCode()",
            "#set($a = [])#set($b = [])$a.add($b)$b.add($a)$a.equals($b)",
            "#set($a = " + String(repeating: "(", count: deep) + "1" + String(repeating: ")", count: deep) + ")$a",
            "#set($a = " + String(repeating: "[", count: deep) + String(repeating: "]", count: deep) + ")$a",
            String(repeating: "#if(true)", count: deep) + "x" + String(repeating: "#end", count: deep),
            "#set($a = " + String(repeating: "!", count: deep) + "true)$a",
            "#set($a = 1" + String(repeating: " + 1", count: deep) + ")$a",
            "$util.parseJson('" + String(repeating: "[", count: deep) + String(repeating: "]", count: deep) + "')",
            "#set($s = 'ab')$s.repeat(2147483647).length()",  // Java throws OutOfMemoryError at once
            "#macro(w)#set($s = \"$s$s\")#w()#end#set($s = 'ab')#w()",
            // A JSON array that holds a map holding it twice: exponential printing before the bound stopped it.
            "#set($l = $util.parseJson('[]'))#set($m = {\"a\": $l, \"b\": $l})#set($d = $l.add($m))$l",
        ]
        let clock = ContinuousClock()
        for (i, src) in crashers.enumerated() {
            for k in 0..<4 {
                let t0 = clock.now
                if case .parseError(let e) = Self.run(src, name: "crasher\(i)", context: Self.context(k)) {
                    #expect(e.line >= 1 && e.column >= 1, "parse error without a position: \(e)")
                }
                let took = clock.now - t0
                if took > Self.slowTemplate { Issue.record("former crasher \(i) took \(took): \(Self.show(src))") }
            }
        }
    }

    // MARK: fixed traps (recursion, large ranges), run once each by the first test

    /// Templates that aim at unbounded recursion or big loops. Each must end (by rendering or throwing) quickly.
    static let traps: [String] = [
        "#macro(rec $n)#rec($n)#end#rec(1)",
        "#macro(rec $n)x#rec($n + 1)#end#rec(1)",
        "#macro(a)#b()#end#macro(b)#a()#end#a()",
        "#macro(fork)#fork()#fork()#end#fork()",
        "#macro(m $p)$p#end#m(\"#m(1)\")",
        // `#macro(w)#set($s = "$s$s")#w()#end#set($s = 'ab')#w()` (unbounded doubling) is in formerCrashers.
        "#macro(w)#set($s = \"$s$s\")#if($s.length() < 5000)#w()#end#end#set($s = 'ab')#w()$s.length()",
        "#set($e = '#evaluate($e)')#evaluate($e)",
        "#set($e = '$e#evaluate($e)')#evaluate($e)",
        "#set($e = '#evaluate($e)#evaluate($e)')#evaluate($e)",
        "#set($e = '#macro(q)#evaluate($e)#end#q()')#evaluate($e)",
        "#define($d)$d#end$d",
        "#define($d)$e#end#define($e)$d#end$d",
        "#define($d)#evaluate('$d')#end$d",
        "#macro(m)$bodyContent#end#@m()#@m()x#end#end",
        "#macro(m)$bodyContent#end#@m()$bodyContent#end",
        "#foreach($i in [1..100000])#end",
        "#foreach($i in [1..100000])$i#end",
        "#foreach($i in [100000..1])#if($i == 3)#break#end#end",
        "#set($r = [1..100000])$r.size()",
        "#foreach($i in [1..300])#foreach($j in [1..300])#end#end",
        "#foreach($i in [0..2147483647])#end",
        "#foreach($i in [-2147483648..2147483647])#end",
        "#foreach($i in [1..99999999999999999999])#end",
        "#set($l = [])#foreach($i in [1..20])$l.add($l.size())#end$l",
        "#set($l = [1])#foreach($i in $l)$l.add($i)#end",
        "#set($m = {})#foreach($i in [1..40])$m.put($i, $i)#end$m.size()",
        "#set($l = [1])$l.add($l)$l",
        "#set($s = 'x')#foreach($i in [1..16])#set($s = \"$s$s\")#end$s.length()",
        "#set($s = 'ab')$s.repeat(-1)",
        "#set($s = 'a')$s.repeat(100000).length()",
        "#set($s = 'aaaaaaaaaaaaaaaaaaaaaaaaaab')$s.matches('(a|aa)*c')",
        "#set($n = 1)#foreach($i in [1..70])#set($n = $n * 10)#end$n",
        "#set($n = 2147483647)#set($n = $n + 1)$n #set($n = 9223372036854775807)#set($n = $n + 1)$n",
        "#set($n = 9223372036854775807 * 9223372036854775807 * 9223372036854775807)$n",
        "#set($n = -9223372036854775808 / -1)$n $n.class",
        "$input.path('$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$$')",
        "$util.parseJson('[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]')",
        String(repeating: "#if(true)", count: 200) + "x" + String(repeating: "#end", count: 200),
        "#set($a = " + String(repeating: "(", count: 200) + "1" + String(repeating: ")", count: 200) + ")$a",
        "#set($a = " + String(repeating: "[", count: 200) + String(repeating: "]", count: 200) + ")$a",
        "#set($a = " + String(repeating: "!", count: 500) + "true)$a",
        "#set($a = 1" + String(repeating: " + 1", count: 2000) + ")$a",
        "$a" + String(repeating: ".b", count: 2000),
        String(repeating: "#*", count: 500) + String(repeating: "*#", count: 500),
        String(repeating: "#[[", count: 500) + String(repeating: "]]#", count: 500),
        String(repeating: "#foreach($i in [1..2])", count: 12) + "x" + String(repeating: "#end", count: 12),
    ]

    /// Runs every trap against each kind of context; returns how many runs there were.
    static func runTraps() -> Int {
        let clock = ContinuousClock()
        var runs = 0
        for (i, src) in traps.enumerated() {
            for k in 0..<3 {
                if trace { FileHandle.standardError.write(Data("trap \(i)/\(k): \(show(src))\n".utf8)) }
                let t0 = clock.now
                if case .parseError(let e) = run(src, name: "trap\(i)", context: context(k)) {
                    #expect(e.line >= 1 && e.column >= 1, "parse error without a position: \(e) for \(show(src))")
                }
                let took = clock.now - t0
                if took > slowTemplate { Issue.record("trap \(i) took \(took): \(show(src))") }
                runs += 1
            }
        }
        return runs
    }

    // MARK: running

    enum Result {
        case parseError(VelocityError)
        case runtimeError(VelocityError)
        case rendered(String)
    }

    enum Outcome: Equatable, CustomStringConvertible {
        case output(String)
        case error(VelocityError)
        var description: String {
            switch self {
            case .output(let s): return "output " + GeneratedTemplateFuzzTests.show(s)
            case .error(let e): return "error \(e)"
            }
        }
    }

    static func run(_ src: String, name: String, context: VelocityContext) -> Result {
        let t: VelocityTemplate
        do { t = try VelocityTemplate.parse(src, name: name) } catch { return .parseError(error) }
        do { return .rendered(try t.render(context)) } catch { return .runtimeError(error) }
    }

    static func outcome(_ t: VelocityTemplate, _ context: VelocityContext) -> Outcome {
        do { return .output(try t.render(context)) } catch { return .error(error) }
    }

    static let bodies = [
        #"{"x":[{"y":1},{"y":"two"}],"a":"b","n":null,"d":{"e":[1,2,3],"f":1.5e3}}"#,
        "",
        "not json",
        "[1,2,3]",
        #""just a string""#,
        #"{"a":{"b":{"c":[1,2,{"d":null}]}},"big":123456789012345678901234567890}"#,
        #"{"unterminated":"#,
        "{\"ü\":\"日本\",\"e\":\"🎉\",\"nul\":\"\\u0000\"}",
    ]

    /// A fresh context of one of four kinds (API Gateway's objects, the oracle's in aws and stock mode, a bare
    /// context), chosen by `n`, with a few ready-made variables so method calls have something to work on.
    static func context(_ n: Int) -> VelocityContext {
        let body = bodies[(n / 4) % bodies.count]
        var ctx: VelocityContext
        switch n % 4 {
        case 0:
            let requestContext = VelocityMap()
            requestContext.put(.string("requestId"), .string("req-1"))
            requestContext.put(.string("stage"), .string("dev"))
            let identity = VelocityMap()
            identity.put(.string("sourceIp"), .string("127.0.0.1"))
            requestContext.put(.string("identity"), .map(identity))
            let stage = VelocityMap()
            stage.put(.string("v"), .string("1"))
            ctx = .apiGateway([
                "input": .object(GatewayInput(body: body, path: [("id", "7")], querystring: [("q", "x"), ("id", "8")],
                                              header: [("Accept", "*/*")])),
                "util": .object(GatewayUtil()),
                "context": .map(requestContext),
                "stageVariables": .map(stage),
            ])
        case 1, 2:
            let input = VelocityValue.from([
                "body": body,
                "params": ["path": ["id": "7"], "querystring": ["q": "x"], "header": ["Accept": "*/*"]] as [String: Any?],
                "context": ["requestId": "req-1", "stage": "dev"] as [String: Any?],
                "stageVariables": ["v": "1"] as [String: Any?],
                "aws": n % 4 == 1,
            ] as [String: Any?])
            ctx = OracleContext.make(input: input)
        default:
            ctx = VelocityContext()
        }
        ctx.variables["str"] = .string("Hello, wörld 🎉 a.b.c")
        ctx.variables["lst"] = .from([1, "a", nil, 2.5, ["x"]] as [Any?])
        ctx.variables["mp"] = .from(["k": 1, "n": ["x": [1, 2]] as [String: Any?]] as [String: Any?])
        ctx.variables["big"] = .int(Int.max)
        return ctx
    }

    static func show(_ s: String) -> String {
        var q = ""
        for u in s.unicodeScalars.prefix(400) {
            switch u {
            case "\n": q += "\\n"
            case "\r": q += "\\r"
            case "\t": q += "\\t"
            case "\"": q += "\\\""
            case "\\": q += "\\\\"
            default:
                if u.value < 0x20 || u.value == 0x7F { q += "\\u{\(String(u.value, radix: 16))}" } else { q.unicodeScalars.append(u) }
            }
        }
        return "\"" + q + (s.unicodeScalars.count > 400 ? "…" : "") + "\""
    }
}

/// SplitMix64 (as RobustnessTests.SplitMix), so a failing template can be regenerated from the seed.
struct FuzzRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { n <= 0 ? 0 : Int(next() % UInt64(n)) }
    mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
    mutating func pick<T>(_ xs: [T]) -> T { xs[below(xs.count)] }
}

/// Random VTL from a small recursive grammar. Loops are kept to one level with short ranges, and generated
/// macros only call macros defined before them, so a template's work stays bounded (string doubling in a
/// nested loop or a self-recursive macro would be exponential in Velocity too); the unbounded cases are
/// the fixed traps above.
struct FuzzTemplateGenerator {
    var rng: FuzzRandom
    var macros: [(name: String, arity: Int)] = []
    var nextMacro = 0

    init(seed: UInt64) { rng = FuzzRandom(seed: seed) }

    static let names = ["a", "b", "x", "i", "s", "v", "d", "str", "lst", "mp", "big", "input", "util", "context",
                        "stageVariables", "foreach", "velocityCount", "velocityHasNext", "bodyContent", "null", "zz"]
    static let setTargets = ["a", "b", "x", "v", "s", "lst", "mp", "str"]
    static let props = ["b", "c", "size", "empty", "body", "requestId", "identity", "sourceIp", "key", "value", "k",
                        "n", "x", "index", "count", "hasNext", "first", "last", "class", "length", "Body", "0"]
    static let texts = ["hello", " ", "\n", "\r\n", "\t", "{\"k\": ", "}", ",", "\"", "'", "\\$a", "\\#if", "\\\\$a",
                        "$", "#", "$$", "##\n", "a$", "$1", "#1", "#{", "é", "日本", "🎉", "\u{0}", "\u{301}", "x#y",
                        "$.", "$!", "${", "#@", "[", "]", "(", ")", "|", "*"]
    static let ints = ["0", "1", "2", "3", "-1", "7", "10", "42", "2147483647", "2147483648", "-2147483648",
                       "9223372036854775807", "9223372036854775808", "-9223372036854775809",
                       "99999999999999999999999999999999999999", "123456789012345678901234567890123456789012345678"]
    static let doubles = ["1.5", "0.0", "-2.25", "3.0", "0.1", "1e3", "1E309", "1.7976931348623157E308", "-0.0", "1.0e-5"]
    static let regexes = ["a", ".", ".*", "\\d+", "[a-", "(", ")", "*", "+x", "a{2,1}", "\\", "(?<n>x)", "(a)(b)?",
                          "a|b|", "[^]", "\\p{L}+", "\\p{Bogus}", "(?i)HELLO", "^", "$", "\\b", "(?=o)", "x{99999}",
                          "[\\w&&[^o]]", "\\Q.\\E", "🎉", "", ",", "\\.", "(a*)*b"]
    static let replacements = ["x", "", "$1", "$0", "$9", "$", "\\", "\\$", "${n}", "$x", "\\\\", "$$"]
    static let jsonPaths = ["$", "$.x", "$.x[0].y", "$.x[*].y", "$..y", "$.a", "$['a']", "$.d.e[-1]", "$.d.e[0:2]",
                            "$.x[?(@.y)]", "$[", "$.", "", "x", "$.d.f", "$.n", "$.x[99]", "$[0]", "$.*", "@", "$..*",
                            "$.big", "$['unterminated"]
    static let jsonTexts = ["{\"a\": [1, 2, {\"b\": null}]}", "[]", "{}", "not json", "{", "[1,", "\"s\"", "1e999",
                            "123456789012345678901234567890", "{\"a\":1,\"a\":2}", "null", "true", " ", "\\u0000",
                            "[[[[[[]]]]]]", "{\"k\":\"\\ud800\"}"]
    static let stringContents = ["", "a", "hello world", "a,b,,c,", "%zz", "%41%", "%E2%82", "!!", "aGVsbG8=", "=",
                                 "<script>\"'\\", "x\ny", "日本語", "🎉🎉", "a.b.c", "  padded  ", "$", "#", "\\",
                                 "$a", "${a}", "$!a", "#set($a = 1)$a", "#if($a)y#{else}n#end", "#end", "#{end}",
                                 "#stop", "#break", "$input.path('$.x')", "#m0(1)", "##x", "#*x*#", "null", "true",
                                 "12", "-3", "1.5", "u\u{301}", "\u{0}"]

    mutating func template() -> String {
        macros = []
        nextMacro = 0
        switch rng.below(100) {
        case 0..<3: return randomBytes()
        case 3..<6: return randomUnicode()
        case 6..<9: return String((0..<(1 + rng.below(40))).map { _ in rng.pick(Array("$#(){}[]!.\"'=\\*@ \nabiftend0123456789,|&<>+-%")) })
        case 9..<25: return broken(block(3, loopOK: true))
        default: return block(3, loopOK: true)
        }
    }

    // MARK: whole-template shapes

    mutating func randomBytes() -> String {
        let pool: [UInt8] = Array("$#(){}[]!.\"'\\*".utf8) + [0, 0x0A, 0x0D, 0x80, 0xBF, 0xC0, 0xC3, 0xE2, 0xED, 0xF0, 0xF4, 0xF8, 0xFF]
        let bytes = (0..<rng.below(80)).map { _ in rng.chance(50) ? rng.pick(pool) : UInt8(truncatingIfNeeded: rng.next()) }
        return String(decoding: bytes, as: UTF8.self)
    }

    mutating func randomUnicode() -> String {
        let ranges: [ClosedRange<UInt32>] = [0x0...0x7F, 0x80...0x7FF, 0x300...0x36F, 0x590...0x6FF, 0x3040...0x30FF,
                                             0xE000...0xF8FF, 0xFFF0...0xFFFF, 0x1F300...0x1FAFF, 0x10FFF0...0x10FFFF, 0x200B...0x202E]
        var s = ""
        for _ in 0..<rng.below(60) {
            if rng.chance(25) { s += rng.pick(["$", "#", "$a", "#if(", "#end", "${", "(", "\"", "'"]); continue }
            let r = rng.pick(ranges)
            let v = r.lowerBound + UInt32(rng.below(Int(r.upperBound - r.lowerBound) + 1))
            if let u = Unicode.Scalar(v) { s.unicodeScalars.append(u) }
        }
        return s
    }

    static let strays = ["#end", "#else", "#elseif(", "#elseif", "(", ")", "\"", "'", "${", "$!{", "}", "#if(", "#if",
                         "#foreach(", "#foreach($i in", "#set(", "#set($a", "#set($a =", "#macro(", "#macro", "#define(",
                         "#evaluate(", "[", "]", "{", "#*", "#[[", "]]#", "#{end}", "#{else}", "$a.", "$a(", "$a[",
                         "#break(", "#stop(", "..", ",", "=", "==", "&&", "#@", "\\"]

    mutating func broken(_ s: String) -> String {
        var chars = Array(s)
        for _ in 0..<(1 + rng.below(2)) {
            let i = rng.below(chars.count + 1)
            switch rng.below(3) {
            case 0: chars = Array(chars.prefix(i))
            case 1 where !chars.isEmpty: chars.remove(at: min(i, chars.count - 1))
            default: chars.insert(contentsOf: rng.pick(Self.strays), at: i)
            }
        }
        return String(chars)
    }

    // MARK: statements

    mutating func block(_ depth: Int, loopOK: Bool) -> String {
        var s = ""
        for _ in 0..<(1 + rng.below(depth > 0 ? 5 : 3)) { s += element(depth, loopOK: loopOK) }
        return s
    }

    mutating func element(_ depth: Int, loopOK: Bool) -> String {
        let d = depth - 1
        switch rng.below(depth > 0 ? 100 : 50) {
        case 0..<20: return rng.pick(Self.texts)
        case 20..<42: return reference(max(d, 0))
        case 42..<50: return "#set(" + setTarget() + " = " + expr(max(d, 0)) + ")" + (rng.chance(30) ? "\n" : "")
        case 50..<60: return ifStatement(d, loopOK: loopOK)
        case 60..<68:
            guard loopOK else { return reference(max(d, 0)) }
            return "#foreach($" + rng.pick(["i", "a", "x", "s"]) + " in " + iterable(d) + ")" + block(d, loopOK: false)
                + (rng.chance(20) ? "#{else}" : "") + "#end"
        case 68..<74: return macroDefinition(d)
        case 74..<78: return macroCall(d)
        case 78..<81: return "#define($" + rng.pick(["d", "a", "v"]) + ")" + block(d, loopOK: false) + "#end"
            + (rng.chance(60) ? "$d" : "")
        case 81..<85:
            let arg = rng.chance(50) ? quoted(block(d, loopOK: false)) : expr(max(d, 0))
            return "#evaluate(" + arg + ")"
        case 85..<89: return rng.pick(["#break", "#stop", "#{break}", "#{stop}", "#break($foreach)", "#break($x)"])
        case 89..<93: return rng.pick(["## a comment\n", "#* block *#", "#**doc**#", "#[[ $a #if( ]]#", "#* $a #if(", "##"])
        case 93..<94: return "#" + rng.pick(["stop", "end", "else", "elseif", "m0", "unknown", "foreach", "set"]) + rng.pick(["", "(", "()", "(1)", " x"])
        default: return rng.pick(["#{if}(true)y#{end}", "#set($a = {})$a.put('k', 1)$a", "#set($x = [$a, $b])$x.get(0)", "#if(true)a#elseif(false)b#{else}c#end", "$!{a}", "$!a.b()",
                                  "#set($a = $a + 1)$a", "$velocityCount", "#foreach($i in $lst)$foreach.index#end"])
        }
    }

    mutating func ifStatement(_ d: Int, loopOK: Bool) -> String {
        var s = "#if(" + condition(max(d, 0)) + ")" + block(d, loopOK: loopOK)
        for _ in 0..<rng.below(3) { s += "#elseif(" + condition(max(d, 0)) + ")" + block(d, loopOK: loopOK) }
        if rng.chance(50) { s += (rng.chance(80) ? "#else" : "#{else}") + block(d, loopOK: loopOK) }
        return s + (rng.chance(90) ? "#end" : "#{end}")
    }

    mutating func macroDefinition(_ d: Int) -> String {
        let name = "m\(nextMacro)"
        nextMacro += 1
        let arity = rng.below(3)
        let params = (0..<arity).map { " $p\($0)" }.joined()
        // The body may use its parameters and call earlier macros, never itself.
        var body = block(d, loopOK: false)
        if arity > 0, rng.chance(70) { body += "$p\(rng.below(arity))" }
        if rng.chance(30) { body += "$!bodyContent" }
        macros.append((name, arity))
        var s = "#macro(" + name + params + ")" + body + "#end"
        if rng.chance(70) { s += callText(name: name, arity: arity, d) }
        return s
    }

    mutating func macroCall(_ d: Int) -> String {
        guard !macros.isEmpty, rng.chance(80) else { return "#" + rng.pick(["m0", "m9", "nosuch"]) + "(" + expr(0) + ")" }
        let m = rng.pick(macros)
        return callText(name: m.name, arity: m.arity, d)
    }

    mutating func callText(name: String, arity: Int, _ d: Int) -> String {
        let n = max(0, arity + rng.pick([0, 0, 0, -1, 1]))
        let args = (0..<n).map { _ in expr(max(d, 0)) }.joined(separator: rng.pick([" ", ", "]))
        if rng.chance(15) { return "#@" + name + "(" + args + ")" + block(max(d, 0), loopOK: false) + "#end" }
        return "#" + name + "(" + args + ")"
    }

    // MARK: references and expressions

    mutating func setTarget() -> String {
        let v = "$" + rng.pick(Self.setTargets)
        switch rng.below(10) {
        case 0: return v + "." + rng.pick(Self.props)
        case 1: return v + "[" + rng.pick(["0", "1", "\"k\"", "$i"]) + "]"
        case 2: return "${" + rng.pick(Self.setTargets) + "}"
        default: return v
        }
    }

    mutating func reference(_ d: Int) -> String {
        switch rng.below(100) {
        case 0..<12: return inputCall(d)
        case 12..<22: return utilCall(d)
        case 22..<36: return stringMethod(d)
        case 36..<44: return collectionMethod(d)
        default:
            let name = rng.pick(Self.names)
            var s: String
            switch rng.below(5) {
            case 0: s = "${" + name + "}"
            case 1: s = "$!" + name
            case 2: s = "$!{" + name + "}"
            default: s = "$" + name
            }
            for _ in 0..<rng.below(4) {
                switch rng.below(3) {
                case 0: s += "." + rng.pick(Self.props)
                case 1: s += "[" + index(d) + "]"
                default: s += "." + rng.pick(["get", "size", "toString", "put", "add", "length", "keySet", "entrySet",
                                               "getClass", "hashCode", "equals", "isEmpty", "values", "remove", "contains"])
                    + "(" + args(d, max: 2) + ")"
                }
            }
            return s
        }
    }

    mutating func index(_ d: Int) -> String {
        rng.chance(60) ? rng.pick(["0", "1", "-1", "99", "\"k\"", "'x'", "$i", "2147483648"]) : expr(max(d - 1, 0))
    }

    mutating func args(_ d: Int, max n: Int) -> String {
        (0..<rng.below(n + 1)).map { _ in expr(Swift.max(d - 1, 0)) }.joined(separator: ", ")
    }

    mutating func inputCall(_ d: Int) -> String {
        switch rng.below(8) {
        case 0, 1: return "$input.path(" + quotedLiteral(rng.pick(Self.jsonPaths)) + ")" + (rng.chance(40) ? "." + rng.pick(Self.props) : "")
        case 2, 3: return "$input.json(" + quotedLiteral(rng.pick(Self.jsonPaths)) + ")"
        case 4: return "$input.params(" + rng.pick(["'id'", "'q'", "'Accept'", "'none'", "", "1", "$null"]) + ")"
        case 5: return "$input.params()." + rng.pick(["header", "path", "querystring", "get('path')", "size()", "keySet()"])
        case 6: return "$input." + rng.pick(["body", "Body", "getBody()", "toString()", "nosuch", "path($null)", "json(1)", "path()"])
        default: return "$input.path(" + expr(max(d - 1, 0)) + ")"
        }
    }

    mutating func utilCall(_ d: Int) -> String {
        let fn = rng.pick(["escapeJavaScript", "parseJson", "urlEncode", "urlDecode", "base64Encode", "base64Decode", "nosuch"])
        let arg: String
        switch rng.below(4) {
        case 0: arg = quotedLiteral(rng.pick(fn == "parseJson" ? Self.jsonTexts : Self.stringContents))
        case 1: arg = expr(max(d - 1, 0))
        case 2: arg = rng.pick(["", "'a', 'b'", "$null", "1", "$input.body"])
        default: arg = quotedLiteral(rng.pick(Self.jsonTexts + Self.stringContents))
        }
        return "$util." + fn + "(" + arg + ")" + (rng.chance(20) ? "." + rng.pick(Self.props) : "")
    }

    mutating func stringMethod(_ d: Int) -> String {
        let s = "$" + rng.pick(["str", "s", "a", "x", "input.body", "context.requestId"])
        let small = { (r: inout FuzzRandom) in r.pick(["0", "1", "2", "5", "-1", "99", "2147483647", "$i", "1.5", "'1'", "$null"]) }
        switch rng.below(12) {
        case 0: return s + ".substring(" + small(&rng) + (rng.chance(50) ? ", " + small(&rng) : "") + ")"
        case 1: return s + "." + rng.pick(["replaceAll", "replaceFirst"]) + "(" + quotedLiteral(rng.pick(Self.regexes)) + ", "
            + quotedLiteral(rng.pick(Self.replacements)) + ")"
        case 2: return s + ".split(" + quotedLiteral(rng.pick(Self.regexes)) + (rng.chance(30) ? ", " + small(&rng) : "") + ")"
            + (rng.chance(40) ? "[" + small(&rng) + "]" : "")
        case 3: return s + "." + rng.pick(["indexOf", "lastIndexOf"]) + "(" + quotedLiteral(rng.pick(Self.stringContents))
            + (rng.chance(30) ? ", " + small(&rng) : "") + ")"
        case 4: return s + ".matches(" + quotedLiteral(rng.pick(Self.regexes)) + ")"
        case 5: return s + ".charAt(" + small(&rng) + ")"
        case 6: return s + ".repeat(" + rng.pick(["0", "1", "3", "-1", "'2'"]) + ")"
        case 7: return s + ".replace(" + quotedLiteral(rng.pick(Self.stringContents)) + ", " + quotedLiteral(rng.pick(Self.stringContents)) + ")"
        case 8: return s + "." + rng.pick(["length()", "toUpperCase()", "toLowerCase()", "trim()", "isEmpty()", "toCharArray()",
                                          "hashCode()", "getBytes()", "chars()", "lines()", "strip()", "class", "bytes", "empty"])
        case 9: return s + ".format(" + quotedLiteral(rng.pick(["%s", "%d", "%5.2f", "%", "%q", "%1$s %2$s", "%n", "%%", "%-08x"]))
            + ", " + args(d, max: 2) + ")"
        case 10: return s + "." + rng.pick(["concat", "contains", "startsWith", "endsWith", "equals", "equalsIgnoreCase", "compareTo"])
            + "(" + expr(max(d - 1, 0)) + ")"
        default: return s + ".join(" + quotedLiteral(",") + ", " + args(d, max: 2) + ")"
        }
    }

    mutating func collectionMethod(_ d: Int) -> String {
        let target = "$" + rng.pick(["lst", "mp", "a", "x", "context", "stageVariables"])
        let call: String
        switch rng.below(10) {
        case 0: call = "add(" + expr(max(d - 1, 0)) + ")"
        case 1: call = "add(" + index(d) + ", " + expr(max(d - 1, 0)) + ")"
        case 2: call = "get(" + index(d) + ")"
        case 3: call = "remove(" + index(d) + ")"
        case 4: call = "set(" + index(d) + ", " + expr(max(d - 1, 0)) + ")"
        case 5: call = "put(" + expr(max(d - 1, 0)) + ", " + expr(max(d - 1, 0)) + ")"
        case 6: call = rng.pick(["size()", "isEmpty()", "clear()", "keySet()", "values()", "entrySet()", "toString()", "hashCode()"])
        case 7: call = "subList(" + index(d) + ", " + index(d) + ")"
        case 8: call = rng.pick(["addAll($lst)", "containsKey('k')", "containsAll([1])", "indexOf(1)", "putAll($mp)", "iterator()"])
        default: call = "get(" + quotedLiteral(rng.pick(["k", "n", "x", "requestId"])) + ")"
        }
        return target + "." + call
    }

    mutating func condition(_ d: Int) -> String {
        switch rng.below(6) {
        case 0: return expr(d)
        case 1: return expr(d) + " " + rng.pick(["==", "!=", "<", "<=", ">", ">=", "eq", "ne", "lt", "gt", "le", "ge"]) + " " + expr(d)
        case 2: return condition(max(d - 1, 0)) + " " + rng.pick(["&&", "||", "and", "or"]) + " " + condition(max(d - 1, 0))
        case 3: return rng.pick(["!", "not "]) + condition(max(d - 1, 0))
        case 4: return reference(d)
        default: return "$" + rng.pick(Self.names)
        }
    }

    mutating func iterable(_ d: Int) -> String {
        switch rng.below(8) {
        case 0, 1, 2: return "[" + rangeEnd() + ".." + rangeEnd() + "]"
        case 3: return list(max(d, 0))
        case 4: return map(max(d, 0))
        case 5: return "$" + rng.pick(["lst", "mp", "a", "str", "input.params()", "mp.keySet()", "mp.entrySet()", "context"])
        case 6: return "$input.path(" + quotedLiteral(rng.pick(Self.jsonPaths)) + ")"
        default: return "$str.split(" + quotedLiteral(rng.pick(Self.regexes)) + ")"
        }
    }

    /// Short ranges, or ones too large for the engine (it refuses those before allocating anything).
    mutating func rangeEnd() -> String {
        switch rng.below(10) {
        case 0: return rng.pick(["2147483648", "99999999999999999999", "-2147483649", "1.5", "'3'", "$null", "$i"])
        case 1: return "-" + String(rng.below(4))
        default: return String(rng.below(12))
        }
    }

    mutating func list(_ d: Int) -> String {
        "[" + (0..<rng.below(4)).map { _ in expr(max(d - 1, 0)) }.joined(separator: rng.pick([", ", ","])) + "]"
    }

    mutating func map(_ d: Int) -> String {
        "{" + (0..<rng.below(3)).map { _ in expr(max(d - 1, 0)) + rng.pick([": ", " : "]) + expr(max(d - 1, 0)) }.joined(separator: ", ") + "}"
    }

    mutating func expr(_ d: Int) -> String {
        switch rng.below(d > 0 ? 100 : 55) {
        case 0..<12: return rng.pick(Self.ints)
        case 12..<16: return rng.pick(Self.doubles)
        case 16..<30: return rng.chance(50) ? quotedLiteral(rng.pick(Self.stringContents)) : interpolated(d)
        case 30..<34: return rng.pick(["true", "false", "null", "$null"])
        case 34..<55: return reference(d)
        case 55..<63: return list(d)
        case 63..<68: return map(d)
        case 68..<72: return "[" + rangeEnd() + ".." + rangeEnd() + "]"
        case 72..<90: return expr(d - 1) + " " + rng.pick(["+", "-", "*", "/", "%", "+", "/", "%"]) + " " + rng.pick([expr(d - 1), "0", "0.0", "-1"])
        case 90..<94: return condition(d - 1)
        case 94..<97: return "!" + expr(d - 1)
        default: return "(" + expr(d - 1) + ")"
        }
    }

    /// A double-quoted string with references and directives in it, which Velocity interpolates.
    mutating func interpolated(_ d: Int) -> String {
        var s = "\""
        for _ in 0..<(1 + rng.below(3)) {
            switch rng.below(4) {
            case 0: s += "$" + rng.pick(Self.names)
            case 1: s += "${" + rng.pick(Self.names) + "}"
            case 2: s += rng.pick(["#if(true)y#end", "#set($v = 1)", "#{else}", "#foreach($q in [1,2])$q#end", "\\\"", "''"])
            default: s += rng.pick(Self.stringContents).replacingOccurrences(of: "\"", with: "\"\"")
            }
        }
        return s + "\""
    }

    /// A string literal in single quotes (Velocity doubles a quote to escape it), or double quotes.
    func quotedLiteral(_ content: String) -> String {
        "'" + content.replacingOccurrences(of: "'", with: "''") + "'"
    }

    func quoted(_ content: String) -> String { quotedLiteral(content) }
}
