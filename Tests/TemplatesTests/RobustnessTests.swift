import Foundation
import Testing
@testable import Templates

/// Mutated case templates must never crash or hang the engine: a parse error, a runtime error or
/// some output are all fine.
@Suite struct RobustnessTests {
    /// A deterministic generator (SplitMix64), so a failure reproduces.
    struct SplitMix {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { n <= 0 ? 0 : Int(next() % UInt64(n)) }
    }

    static let specials = Array("$#(){}[]\"'\\!.*,=|&<>+-@ \n0123456789abend")

    static func mutate(_ s: String, _ rng: inout SplitMix) -> String {
        var chars = Array(s)
        for _ in 0..<(1 + rng.below(3)) {
            let i = rng.below(chars.count + 1)
            switch rng.below(4) {
            case 0 where !chars.isEmpty: chars.remove(at: min(i, chars.count - 1))
            case 1 where !chars.isEmpty: let k = min(i, chars.count - 1); chars.insert(chars[k], at: k)
            case 2 where chars.count > 1:
                let a = min(i, chars.count - 1), b = rng.below(chars.count)
                chars.swapAt(a, b)
            default: chars.insert(specials[rng.below(specials.count)], at: i)
            }
        }
        return String(chars)
    }

    @Test func mutatedTemplatesNeverCrash() throws {
        guard let cases = VelocityCases.load("cases.json"), let language = VelocityCases.load("language.json") else {
            print("robustness: skipped, no case files at \(VelocityCases.directory.path)")
            return
        }
        var rng = SplitMix(state: 0x5EED)
        var ran = 0, parseErrors = 0, runtimeErrors = 0
        let all = cases + language
        for round in 0..<5 {
            for c in all {
                let src = round == 0 ? c.template : Self.mutate(c.template, &rng)
                ran += 1
                do {
                    let t = try VelocityTemplate.parse(src, name: c.id)
                    _ = try t.render(OracleContext.make(input: c.input))
                } catch {
                    if error.kind == .parse { parseErrors += 1 } else { runtimeErrors += 1 }
                }
            }
        }
        print("robustness: \(ran) templates ran (\(parseErrors) parse errors, \(runtimeErrors) runtime errors)")
        #expect(ran == all.count * 5)
    }
}
