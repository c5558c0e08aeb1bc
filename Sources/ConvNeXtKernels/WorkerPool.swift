#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Synchronization

/// Runs data-parallel loops on a fixed set of threads.
///
/// The pool starts `threadCount − 1` threads once; each ``parallelFor(_:_:)`` hands them
/// contiguous slices of the index range and the calling thread runs the first slice. Idle
/// workers spin briefly (when the pool has no more threads than cores) and then sleep, so
/// back-to-back loops start in well under a microsecond-scale hand-off while an unused pool
/// costs nothing. A pool is shared by everything that runs on it: concurrent `parallelFor`
/// calls from different threads are safe and run one after another, and a `parallelFor`
/// called from inside a loop body runs inline on that thread. Dropping the last reference
/// stops and waits for the threads.
public final class WorkerPool: @unchecked Sendable {
    /// The number of threads a loop is split over, the calling thread included.
    public let threadCount: Int
    private let state: PoolState

    /// A pool that splits loops over `threadCount` threads (at least 1).
    public init(threadCount: Int = WorkerPool.availableCores) {
        let threadCount = max(1, threadCount)
        self.threadCount = threadCount
        state = PoolState(workers: threadCount - 1, spins: threadCount <= WorkerPool.availableCores ? 50_000 : 0)
        for index in 1..<threadCount {
            let state = self.state
            let thread = Thread { state.workerLoop(index: index) }
            thread.name = "ConvNeXt worker \(index)"
            thread.start()
        }
    }

    deinit { state.shutdown() }

    /// The number of cores this process may run on: online processors, limited by the
    /// thread's CPU affinity and by a cgroup CPU quota where those exist.
    public static var availableCores: Int { ProcessorCount.available }

    /// Calls `body(i)` for every `i` in `0..<count`, spread over the pool's threads in
    /// contiguous chunks (thread `t` of `T` gets `count·t/T ..< count·(t+1)/T`), and returns
    /// when all calls have finished.
    public func parallelFor(_ count: Int, _ body: (Int) -> Void) {
        guard count > 0 else { return }
        let chunks = min(threadCount, count)
        if chunks == 1 || ParallelRegion.isActive {
            for index in 0..<count { body(index) }
            return
        }
        withoutActuallyEscaping(body) { body in
            state.run(Job(body: UncheckedSendable(body), count: count, chunks: chunks))
        }
    }
}

/// Carries a value that is not `Sendable` (a closure over unsafe buffer pointers) to worker
/// threads. Sound because `parallelFor` hands each worker disjoint indices and returns only
/// after every worker is done with the value, so it never outlives the call that owns it.
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

/// One `parallelFor` call as the workers see it.
struct Job {
    var body: UncheckedSendable<(Int) -> Void>?
    var count = 0
    var chunks = 0

    /// Runs chunk `index` of `chunks`. Not inlined so the worker's reference to `body` ends
    /// before it reports completion (`withoutActuallyEscaping` checks that none is left).
    @inline(never)
    func runChunk(_ index: Int) {
        guard index < chunks, let body = body?.value else { return }
        for i in count * index / chunks ..< count * (index + 1) / chunks { body(i) }
    }
}

/// Marks threads that are running a loop body, so nested loops run inline instead of
/// waiting on a pool that is busy with their caller.
enum ParallelRegion {
    static let key: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    static var isActive: Bool { pthread_getspecific(key) != nil }

    static func setActive(_ active: Bool) {
        _ = pthread_setspecific(key, active ? UnsafeRawPointer(bitPattern: 1) : nil)
    }
}

/// The state shared by a pool and its worker threads (which keep it alive until they exit).
///
/// Hand-off: the submitter publishes `job`, then bumps `generation` (release); a worker that
/// sees the new generation (acquire) runs its chunk and decrements `pending`; the submitter
/// returns once `pending` is 0. Both sides spin on the atomics first and then sleep on
/// condition variables whose state changes are made under `mutex`, so no wake-up is lost.
final class PoolState: @unchecked Sendable {
    private let workers: Int
    private let spins: Int
    private let generation = Atomic<Int>(0)
    private let pending = Atomic<Int>(0)
    private let stopping = Atomic<Bool>(false)
    /// Serializes submitters; held for the whole of a loop.
    private let submission = Mutex<Void>(())
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let workAvailable = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private let workDone = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    /// Written by the submitter before `generation` is bumped; read-only while a loop runs.
    private var job = Job()
    /// Worker threads that have not exited; guarded by `mutex`.
    private var running: Int

    init(workers: Int, spins: Int) {
        self.workers = workers
        self.spins = spins
        running = workers
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(workAvailable, nil)
        pthread_cond_init(workDone, nil)
    }

    deinit {
        pthread_cond_destroy(workDone)
        pthread_cond_destroy(workAvailable)
        pthread_mutex_destroy(mutex)
        workDone.deallocate()
        workAvailable.deallocate()
        mutex.deallocate()
    }

    /// Runs `job` on all threads; returns when every chunk is done.
    func run(_ job: Job) {
        submission.withLock { _ in
            ParallelRegion.setActive(true)
            defer { ParallelRegion.setActive(false) }
            self.job = job
            pending.store(workers, ordering: .relaxed)
            pthread_mutex_lock(mutex)
            generation.add(1, ordering: .releasing)
            pthread_cond_broadcast(workAvailable)
            pthread_mutex_unlock(mutex)

            self.job.runChunk(0)

            var spun = 0
            while pending.load(ordering: .acquiring) != 0 && spun < spins { spun &+= 1 }
            if pending.load(ordering: .acquiring) != 0 {
                pthread_mutex_lock(mutex)
                while pending.load(ordering: .acquiring) != 0 { pthread_cond_wait(workDone, mutex) }
                pthread_mutex_unlock(mutex)
            }
            self.job = Job()
        }
    }

    /// The body of worker thread `index` (1...workers).
    func workerLoop(index: Int) {
        ParallelRegion.setActive(true)
        var seen = 0
        while true {
            var current = generation.load(ordering: .acquiring)
            var spun = 0
            while current == seen && spun < spins {
                spun &+= 1
                current = generation.load(ordering: .acquiring)
            }
            if current == seen {
                pthread_mutex_lock(mutex)
                current = generation.load(ordering: .acquiring)
                while current == seen {
                    pthread_cond_wait(workAvailable, mutex)
                    current = generation.load(ordering: .acquiring)
                }
                pthread_mutex_unlock(mutex)
            }
            seen = current
            if stopping.load(ordering: .acquiring) { break }
            job.runChunk(index)
            if pending.subtract(1, ordering: .acquiringAndReleasing).newValue == 0 {
                pthread_mutex_lock(mutex)
                pthread_cond_signal(workDone)
                pthread_mutex_unlock(mutex)
            }
        }
        pthread_mutex_lock(mutex)
        running -= 1
        pthread_cond_broadcast(workDone)
        pthread_mutex_unlock(mutex)
    }

    /// Stops the workers and waits until they have exited.
    func shutdown() {
        pthread_mutex_lock(mutex)
        stopping.store(true, ordering: .releasing)
        generation.add(1, ordering: .releasing)
        pthread_cond_broadcast(workAvailable)
        while running > 0 { pthread_cond_wait(workDone, mutex) }
        pthread_mutex_unlock(mutex)
    }
}
