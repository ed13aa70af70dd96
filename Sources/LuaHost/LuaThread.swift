import Foundation

/// The one thread that touches a host's lua_State.
///
/// Lua is not thread-safe and the handler protocols are synchronous (ARCHITECTURE.md, "Concurrency"), so
/// callers from any thread hand their work over and block until it is done; runs are short because they are
/// instruction-limited. Callers must not be on Swift concurrency's cooperative pool (the shell and `serve`
/// call from their own threads).
final class LuaThread: @unchecked Sendable {
    private let jobs: JobQueue
    private let thread: Thread

    init(name: String) {
        let jobs = JobQueue()
        self.jobs = jobs
        thread = Thread { jobs.run() }
        thread.name = name
        thread.stackSize = 16 << 20   // Lua's C recursion and the JSON bridge's recursion run here
        thread.start()
    }

    /// Runs `work` on the Lua thread and returns its result. Called on the Lua thread itself (the host's
    /// deinit runs there if a job held the last reference), it runs inline instead of waiting for itself.
    func sync<T: Sendable>(_ work: @escaping @Sendable () -> T) -> T {
        if Thread.current === thread { return work() }
        let done = DispatchSemaphore(value: 0)
        let result = ResultBox<T>()
        jobs.push {
            result.value = work()
            done.signal()
        }
        done.wait()
        return result.take()
    }

    /// Lets the thread finish the jobs already queued, then end.
    func stop() { jobs.stop() }
}

/// A FIFO of jobs and the loop that runs them.
private final class JobQueue: @unchecked Sendable {
    private let condition = NSCondition()
    private var pending: [@Sendable () -> Void] = []   // guarded by `condition`
    private var stopping = false                        // guarded by `condition`

    func push(_ job: @escaping @Sendable () -> Void) {
        condition.lock()
        pending.append(job)
        condition.signal()
        condition.unlock()
    }

    func stop() {
        condition.lock()
        stopping = true
        condition.signal()
        condition.unlock()
    }

    func run() {
        while true {
            condition.lock()
            while pending.isEmpty && !stopping { condition.wait() }
            if pending.isEmpty {
                condition.unlock()
                return
            }
            let job = pending.removeFirst()
            condition.unlock()
            job()
        }
    }
}

/// Carries a job's result back to the waiting caller; the semaphore orders the write before the read.
private final class ResultBox<T>: @unchecked Sendable {
    var value: T?

    func take() -> T {
        guard let value else { preconditionFailure("LuaThread: a job finished without a result") }
        return value
    }
}
