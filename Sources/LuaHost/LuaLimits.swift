/// What one Lua state may use. PRODUCT.md maps the limits onto Lambda's own failures: running out of
/// instructions is the function timing out, running out of memory is a `Runtime.OutOfMemory` function error.
public struct LuaLimits: Sendable, Equatable {
    /// VM instructions per host operation (one invocation, or loading one plugin). The count hook checks it
    /// every 1,000 instructions; 50 million take well under a second, so an endless loop returns quickly.
    public var instructionBudget: Int
    /// Bytes the whole state (every plugin together) may hold, enforced by the state's allocator.
    public var memoryBytes: Int

    public init(instructionBudget: Int = 50_000_000, memoryBytes: Int = 64 << 20) {
        self.instructionBudget = instructionBudget
        self.memoryBytes = memoryBytes
    }

    public static let `default` = LuaLimits()

    /// The memory limit as people write it: "64 MiB", or bytes when it is not a whole number of MiB.
    var memoryDescription: String {
        memoryBytes % (1 << 20) == 0 ? "\(memoryBytes >> 20) MiB" : "\(memoryBytes) bytes"
    }
}
