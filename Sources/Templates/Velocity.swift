import Foundation

// Templates: the Apache Velocity 1.7 (VTL) engine for API Gateway mapping templates.
// Parse once with `VelocityTemplate.parse`, render many times with `render(_:)`.

public struct VelocityTemplate: Sendable {
    public let name: String
    let nodes: [Node]
    let macros: [String: MacroDefinition]

    /// Parses VTL source. Parse errors carry Velocity's exception class and a 1-based line:column.
    public static func parse(_ source: String, name: String) throws(VelocityError) -> VelocityTemplate {
        var parser = Parser(source, name: name)
        let nodes = try parser.parseTemplate()
        return VelocityTemplate(name: name, nodes: nodes, macros: parser.macros)
    }

    /// The output of a template that is only text (no reference or directive): the same whatever the
    /// context, so a caller may skip building one. Nil for any other template.
    public let literalText: String?

    init(name: String, nodes: [Node], macros: [String: MacroDefinition]) {
        self.name = name
        self.nodes = nodes
        self.macros = macros
        var text: String? = ""
        for node in nodes {
            guard case .text(let t) = node else { text = nil; break }
            text? += t
        }
        literalText = text
    }

    /// Renders against the context's variables. The context's lists and maps are shared with the
    /// template (a template that mutates `$x.add(1)` mutates the caller's list, as in Java).
    public func render(_ context: VelocityContext) throws(VelocityError) -> String {
        let r = Renderer(context: context, macros: macros, name: name)
        do {
            try r.render(nodes)
        } catch is StopSignal {
            // #stop: what was rendered so far is the output.
        } catch is BreakSignal {
            // #break outside any loop ends the template (its scope is the template).
        } catch let e as VelocityError {
            throw VelocityError(kind: e.kind, javaClass: e.javaClass, message: e.message, line: e.line,
                                column: e.column, templateName: e.templateName.isEmpty ? name : e.templateName)
        } catch let e as JavaException {
            throw VelocityError.runtime("MethodInvocationException", "\(e.javaClass): \(e.message)")
        } catch {
            throw VelocityError.runtime("VelocityException", "\(error)")
        }
        return r.out
    }
}
