import Foundation

/// Colours for the interactive shell: status lines by class, errors, failed trace stages, reasons dimmed. Off when
/// standard output is not a terminal, when NO_COLOR is set (https://no-color.org), or with `--color never`; forced
/// with `--color always`. Session files and pipes never see escape codes.
public enum Colors {
    public enum Mode: String, CaseIterable, Sendable { case auto, always, never }

    public static func enabled(_ mode: Mode, environment: [String: String] = ProcessInfo.processInfo.environment, isTerminal: Bool = isatty(STDOUT_FILENO) == 1) -> Bool {
        switch mode {
        case .always: return true
        case .never: return false
        case .auto: return isTerminal && (environment["NO_COLOR"] ?? "").isEmpty && environment["TERM"] != "dumb"
        }
    }

    static let reset = "\u{1B}[0m", red = "\u{1B}[31m", green = "\u{1B}[32m", yellow = "\u{1B}[33m", dim = "\u{1B}[2m", bold = "\u{1B}[1m"

    /// The command's output, painted line by line.
    public static func paint(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { paint(line: String($0)) }.joined(separator: "\n")
    }

    static func paint(line: String) -> String {
        if line.hasPrefix("error:") { return bold + red + "error:" + reset + line.dropFirst(6) }
        if line.hasPrefix("expect failed:") { return bold + red + line + reset }
        if line.hasPrefix("  hint:") || line.contains("why: ") && line.trimmingCharacters(in: .whitespaces).hasPrefix("why:") { return dim + line + reset }
        if line.hasPrefix("✓") { return green + line + reset }
        // "200 OK  (MOCK, 0 ms) …": the status by class.
        if line.count > 4, let code = Int(line.prefix(3)), (100...599).contains(code), line.dropFirst(3).first == " ", line.contains("  (") {
            let color = code < 300 ? green : code < 500 ? yellow : red
            let end = line.range(of: "  (")!.lowerBound
            return bold + color + line[..<end] + reset + line[end...]
        }
        if let r = line.range(of: "✗ ") { return String(line[..<r.lowerBound]) + red + "✗ " + String(line[r.upperBound...]) + reset }
        return line
    }
}
