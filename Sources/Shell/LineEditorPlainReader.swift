import CShims
import Foundation

/// Reads lines from a non-terminal standard input (a pipe or a file): no prompt, no colour, no libedit.
/// Piped input and redirected files go through the same code, so they behave identically. A last line
/// without a newline is still a line; a "\r" before the newline is dropped; invalid UTF-8 becomes U+FFFD.
public final class PlainLineReader: LineReader {
    private let fileDescriptor: Int32
    private var pending: [UInt8] = []
    private var start = 0
    private var reachedEnd = false

    /// - Parameter fileDescriptor: where to read from; standard input unless a test says otherwise.
    public init(fileDescriptor: Int32 = STDIN_FILENO) {
        self.fileDescriptor = fileDescriptor
    }

    /// Returns the next line (`prompt` is not shown). `.interrupted` when Ctrl-C arrives while waiting
    /// for input (the flag is cleared; unread input stays unread), `.endOfInput` when the input is exhausted.
    public func readLine(prompt: String) -> LineRead {
        while true {
            if let newline = pending[start...].firstIndex(of: UInt8(ascii: "\n")) {
                let line = decode(pending[start..<newline])
                start = newline + 1
                return .line(line)
            }
            if reachedEnd {
                guard start < pending.count else { return .endOfInput }
                let line = decode(pending[start...])
                start = pending.count
                return .line(line)
            }
            if let interruption = fill() { return interruption }
        }
    }

    /// Reads more input into `pending`; returns `.interrupted` if Ctrl-C ended the wait.
    private func fill() -> LineRead? {
        if start > 0 {
            pending.removeFirst(start)
            start = 0
        }
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        let count = chunk.withUnsafeMutableBytes { read(fileDescriptor, $0.baseAddress, $0.count) }
        if count > 0 {
            pending.append(contentsOf: chunk[..<count])
        } else if count == 0 {
            reachedEnd = true
        } else if errno == EINTR {
            if gwsh_take_interrupt() != 0 { return .interrupted }
        } else if errno != EAGAIN {
            reachedEnd = true
        }
        return nil
    }

    private func decode(_ bytes: ArraySlice<UInt8>) -> String {
        let trimmed = bytes.last == UInt8(ascii: "\r") ? bytes.dropLast() : bytes
        return String(decoding: trimmed, as: UTF8.self)
    }
}
