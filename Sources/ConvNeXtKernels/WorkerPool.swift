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
/// The pool starts `threadCount − 1` threads once. ``parallelFor(_:_:)`` cuts the index range
/// into `threadCount` contiguous chunks; the calling thread and the workers claim chunks one at
/// a time, so a worker that is slow to wake (another process on its core) delays nothing: the
/// caller runs that chunk too. Idle workers spin for about half a millisecond (2 million
/// polls, when the pool has no more threads than cores) and then sleep, so back-to-back loops
/// fork and join in about 0.2 µs while an idle pool costs nothing. (With 50 µs, the serial
/// gap between two forward passes put the workers to sleep, and the next pass's first steps
/// ran on the caller alone: the stem and head took 1.7× as long.) A pool is shared by everything that runs on it: concurrent
/// `parallelFor` calls from different threads are safe and run one after another, and a
/// `parallelFor` called from inside a loop body runs inline on that thread. Dropping the last
/// reference stops the threads and waits for them to exit.
public final class WorkerPool: @unchecked Sendable {
    /// The number of threads a loop is split over, the calling thread included.
    public let threadCount: Int
    private let state: PoolState

    /// A pool that splits loops over `threadCount` threads (at least 1, at most 4096).
    public init(threadCount: Int = WorkerPool.availableCores) {
        let threadCount = min(max(1, threadCount), 4096)
        self.threadCount = threadCount
        state = PoolState(workers: threadCount - 1, spins: threadCount <= WorkerPool.availableCores ? 2_000_000 : 0)
        for _ in 1..<threadCount {
            let state = self.state
            let thread = Thread { state.workerLoop() }
            thread.name = "ConvNeXt worker"
            thread.start()
        }
    }

    deinit { state.shutdown() }

    /// A pool of just the calling thread: its loops run inline, touching no shared state, so
    /// any number of threads may use it at once (for work that is already one task of a
    /// bigger parallel loop).
    public static let serial = WorkerPool(threadCount: 1)

    /// The number of cores this process may run on: online processors, limited by the
    /// thread's CPU affinity and by a cgroup CPU quota where those exist.
    public static var availableCores: Int { ProcessorCount.available }

    /// Calls `body(i)` for every `i` in `0..<count`, spread over the pool's threads in
    /// contiguous chunks (chunk `t` of `T = min(threadCount, count)` is
    /// `count·t/T ..< count·(t+1)/T`), and returns when all calls have finished.
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

    /// Calls `body(task, i)` for every `i` in `0..<count`: `min(tasks, count)` tasks on the
    /// pool's threads claim the indices one at a time, in order, so a thread that runs faster
    /// (or starts sooner) takes more of them. `task` (`0..<tasks`) names the claimant, for
    /// per-task scratch. For loops of a few dozen similar steps: this machine's two cores
    /// drifted apart by 20% of a fused block's time under a fixed split.
    public func parallelClaim(_ count: Int, tasks: Int, _ body: (_ task: Int, _ index: Int) -> Void) {
        let tasks = min(tasks, count)
        guard tasks > 0 else { return }
        let next = Atomic<Int>(0)
        parallelFor(tasks) { task in
            while true {
                let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard index < count else { return }
                body(task, index)
            }
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

    /// Runs chunk `index`.
    func runChunk(_ index: Int) {
        guard let body = body?.value else { return }
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
/// Hand-off: the submitter writes `job`, then publishes it by storing `ticket` (release):
/// the loop's generation in the high 32 bits, its chunk count in the next 16 and the next
/// unclaimed chunk in the low 16. Every thread claims chunks by compare-and-swap on `ticket`
/// (acquire) and counts finished ones in `done`; the submitter returns once `done` equals
/// the chunk count. A successful claim implies the loop is unfinished, so `job` is stable
/// while a claimant reads it. Waiting spins on the atomics first and then sleeps on condition
/// variables whose state changes are made under `mutex`, so no wake-up is lost.
final class PoolState: @unchecked Sendable {
    private let spins: Int
    private let ticket = Atomic<UInt64>(0)
    private let done = Atomic<Int>(0)
    private let stopping = Atomic<Bool>(false)
    /// Serializes submitters; held for the whole of a loop.
    private let submission = LockedValue<UInt32>(0)
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let workAvailable = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private let workDone = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    /// Written by the submitter before `ticket` is published; read-only while a loop runs.
    private var job = Job()
    /// Worker threads that have not exited; guarded by `mutex`.
    private var running: Int

    init(workers: Int, spins: Int) {
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

    private static func generation(_ ticket: UInt64) -> UInt32 { UInt32(truncatingIfNeeded: ticket >> 32) }

    /// Runs `job` on the pool; returns when every chunk is done.
    func run(_ job: Job) {
        submission.withLock { generation in
            ParallelRegion.setActive(true)
            defer { ParallelRegion.setActive(false) }
            generation &+= 1
            self.job = job
            done.store(0, ordering: .relaxed)
            pthread_mutex_lock(mutex)
            ticket.store(UInt64(generation) << 32 | UInt64(job.chunks) << 16, ordering: .releasing)
            pthread_cond_broadcast(workAvailable)
            pthread_mutex_unlock(mutex)

            claimChunks(of: generation)

            var spun = 0
            while done.load(ordering: .acquiring) != job.chunks && spun < spins { spun &+= 1 }
            if done.load(ordering: .acquiring) != job.chunks {
                pthread_mutex_lock(mutex)
                while done.load(ordering: .acquiring) != job.chunks { pthread_cond_wait(workDone, mutex) }
                pthread_mutex_unlock(mutex)
            }
            self.job = Job()
        }
    }

    /// Claims and runs chunks of loop `generation` until none is left unclaimed.
    private func claimChunks(of generation: UInt32) {
        var current = ticket.load(ordering: .acquiring)
        while PoolState.generation(current) == generation {
            let next = current & 0xFFFF, chunks = current >> 16 & 0xFFFF
            guard next < chunks else { return }
            let (exchanged, original) = ticket.compareExchange(
                expected: current, desired: current + 1, ordering: .acquiringAndReleasing)
            guard exchanged else { current = original; continue }
            runChunk(Int(next))
            if done.add(1, ordering: .acquiringAndReleasing).newValue == Int(chunks) {
                pthread_mutex_lock(mutex)
                pthread_cond_signal(workDone)
                pthread_mutex_unlock(mutex)
            }
            current = ticket.load(ordering: .acquiring)
        }
    }

    /// Runs a claimed chunk. Not inlined, so any copy of `job` made here is released before
    /// the chunk is reported done.
    @inline(never)
    private func runChunk(_ index: Int) { job.runChunk(index) }

    /// The body of a worker thread: wait for a new loop, help with it, repeat.
    func workerLoop() {
        ParallelRegion.setActive(true)
        var seen = PoolState.generation(ticket.load(ordering: .acquiring))
        while true {
            var current = PoolState.generation(ticket.load(ordering: .acquiring))
            var spun = 0
            while current == seen && spun < spins {
                spun &+= 1
                current = PoolState.generation(ticket.load(ordering: .acquiring))
            }
            if current == seen {
                pthread_mutex_lock(mutex)
                current = PoolState.generation(ticket.load(ordering: .acquiring))
                while current == seen && !stopping.load(ordering: .relaxed) {
                    pthread_cond_wait(workAvailable, mutex)
                    current = PoolState.generation(ticket.load(ordering: .acquiring))
                }
                pthread_mutex_unlock(mutex)
            }
            if stopping.load(ordering: .acquiring) { break }
            seen = current
            claimChunks(of: current)
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
        pthread_cond_broadcast(workAvailable)
        while running > 0 { pthread_cond_wait(workDone, mutex) }
        pthread_mutex_unlock(mutex)
    }
}
