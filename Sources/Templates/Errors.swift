// Errors raised while parsing or rendering a Velocity template.
//
// `javaClass` is the simple name of the exception Velocity 1.7 would throw (ParseErrorException,
// MethodInvocationException, ...): the conformance cases name the expected failure by that class.

public struct VelocityError: Error, Sendable, CustomStringConvertible, Equatable {
    public enum Kind: Sendable, Equatable {
        /// The template text is not valid VTL (found before any rendering happens).
        case parse
        /// Rendering aborted (a Java method threw, an index was out of range, ...).
        case runtime
    }

    public let kind: Kind
    /// Velocity's exception class name, e.g. "ParseErrorException", "MethodInvocationException".
    public let javaClass: String
    public let message: String
    /// 1-based position in the template source; 0 when the error has no position.
    public let line: Int
    public let column: Int
    public let templateName: String

    public init(kind: Kind, javaClass: String, message: String, line: Int = 0, column: Int = 0, templateName: String = "") {
        self.kind = kind
        self.javaClass = javaClass
        self.message = message
        self.line = line
        self.column = column
        self.templateName = templateName
    }

    public var description: String {
        let place = line > 0 ? " at \(templateName.isEmpty ? "template" : templateName)[line \(line), column \(column)]" : ""
        return "\(javaClass): \(message)\(place)"
    }

    static func runtime(_ javaClass: String, _ message: String) -> VelocityError {
        VelocityError(kind: .runtime, javaClass: javaClass, message: message)
    }
}

/// An exception thrown by a Java-like method (the "cause" Velocity wraps in MethodInvocationException).
public struct JavaException: Error, Sendable {
    public let javaClass: String
    public let message: String
    public init(_ javaClass: String, _ message: String = "") {
        self.javaClass = javaClass
        self.message = message
    }
}
