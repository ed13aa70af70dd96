import Foundation
import Testing
@testable import Shell

/// The `vtl` command's input rules: options first, the template verbatim, multi-line input up to an empty line.
@Suite struct VTLCommandTests {
    @Test func optionsThenTemplateVerbatim() throws {
        let a = try ShellSession.parseVTL(#" --body '{"a": 1}' $input.path('$.a') "it's""#)
        #expect(a.payload == #"{"a": 1}"#)
        #expect(a.template == #"$input.path('$.a') "it's""#)
        #expect(a.file == nil && !a.response)
        let b = try ShellSession.parseVTL(" --response -f t.vtl")
        #expect(b.response && b.file == "t.vtl" && b.template.isEmpty)
        // Text that merely starts with '-' is template text.
        let c = try ShellSession.parseVTL(" -5 is $x")
        #expect(c.template == "-5 is $x")
        #expect(throws: ShellError.self) { try ShellSession.parseVTL(" --body") }
    }

    @Test(arguments: [
        ("vtl $x", true),
        ("vtl", false),
        ("vtl --body '{}'", false),
        ("vtl\n#set($a = 1)", false),
        ("vtl\n#set($a = 1)\n$a\n", true),
        ("vtl -f t.vtl", true),
        ("send GET /x", true),
    ] as [(String, Bool)])
    func inputCompleteness(_ text: String, _ complete: Bool) {
        #expect(ShellSession.vtlInputIsComplete(text) == complete)
    }

    @Test func rendersAgainstTheLastRequestAndListsOverrides() {
        let s = ShellSession()
        #expect(s.execute("send GET /dev/orders/7").runtimeError == nil)
        let out = s.execute("vtl $input.params('id')#set($context.responseOverride.header.X-A = 'b')")
        #expect(out.output == "7\n-- $context.responseOverride.header.X-A = b")
        let broken = s.execute("vtl #foreach($i in")
        #expect(broken.output.hasPrefix("error: vtl:1:"))
    }
}
