#if canImport(Glibc)
import Glibc
#endif
import Dispatch

/// Runs data-parallel loops on a fixed number of threads.
///
/// A pool is shared by everything that runs on it; concurrent `parallelFor` calls from
/// different tasks are safe and run one after another.
public final class WorkerPool: @unchecked Sendable {
    /// The number of threads a loop is split over, the calling thread included.
    public let threadCount: Int

    /// A pool that splits loops over `threadCount` threads (at least 1).
    public init(threadCount: Int = WorkerPool.availableCores) {
        self.threadCount = max(1, threadCount)
    }

    /// The number of cores this process may run on.
    public static var availableCores: Int { max(1, System.activeProcessorCount) }

    /// Calls `body(i)` for every `i` in `0..<count`, spread over the pool's threads, and
    /// returns when all calls have finished.
    public func parallelFor(_ count: Int, _ body: (Int) -> Void) {
        guard count > 0 else { return }
        if threadCount == 1 || count == 1 {
            for index in 0..<count { body(index) }
            return
        }
        let chunks = min(threadCount, count)
        withoutActuallyEscaping(body) { body in
            let shared = UncheckedSendable(body)
            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                let start = count * chunk / chunks, end = count * (chunk + 1) / chunks
                for index in start..<end { shared.value(index) }
            }
        }
    }
}

/// Carries a value that is not `Sendable` (a closure over unsafe buffer pointers) to worker
/// threads. Sound because `parallelFor` hands each worker disjoint indices and returns only
/// after every worker is done, so the value never outlives the call that owns it.
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

enum System {
    static var activeProcessorCount: Int {
        #if canImport(Glibc)
        return Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        #else
        return 1
        #endif
    }
}
