import Foundation

/// The machine's vector multiply-add peak as this build's code generation reaches it, so
/// kernel throughput can be reported as a fraction of it measured in the same run.
enum FMAPeak {
    /// Independent multiply-add chains per step: enough to cover the latency of every fused
    /// multiply-add unit (4 cycles × 2 pipes on Zen 4/5 and recent Intel cores).
    static let chains = 16

    /// Runs `steps` × ``chains`` vector multiply-adds, `c = c·m + a` on independent
    /// accumulators, and returns their sum so none is dead code. One non-inlined function
    /// with a `var` per chain, like the matrix micro-kernel, so all stay in registers.
    @inline(never)
    static func multiplyAddChains(steps: Int, seed: Float) -> FloatVector {
        let m = FloatVector(repeating: 0.999_9), a = FloatVector(repeating: seed)
        var c0 = a, c1 = a + 1, c2 = a + 2, c3 = a + 3, c4 = a + 4, c5 = a + 5, c6 = a + 6, c7 = a + 7
        var c8 = a + 8, c9 = a + 9, c10 = a + 10, c11 = a + 11, c12 = a + 12, c13 = a + 13, c14 = a + 14, c15 = a + 15
        var step = 0
        while step < steps {
            c0 = multiplyAdd(c0, m, a); c1 = multiplyAdd(c1, m, a); c2 = multiplyAdd(c2, m, a); c3 = multiplyAdd(c3, m, a)
            c4 = multiplyAdd(c4, m, a); c5 = multiplyAdd(c5, m, a); c6 = multiplyAdd(c6, m, a); c7 = multiplyAdd(c7, m, a)
            c8 = multiplyAdd(c8, m, a); c9 = multiplyAdd(c9, m, a); c10 = multiplyAdd(c10, m, a); c11 = multiplyAdd(c11, m, a)
            c12 = multiplyAdd(c12, m, a); c13 = multiplyAdd(c13, m, a); c14 = multiplyAdd(c14, m, a); c15 = multiplyAdd(c15, m, a)
            step &+= 1
        }
        return ((c0 + c1) + (c2 + c3)) + ((c4 + c5) + (c6 + c7)) + ((c8 + c9) + (c10 + c11)) + ((c12 + c13) + (c14 + c15))
    }

    /// Floating-point operations of one ``multiplyAddChains(steps:seed:)`` call (a multiply-add is two).
    static func operations(steps: Int) -> Double {
        Double(steps) * Double(chains * vectorLanes * 2)
    }

    /// GFLOP/s of `pool.threadCount` threads each running the chains for `steps` steps at once
    /// (about 4 ms): the best of repeated runs over at least `seconds`, timed like the kernel
    /// benchmarks (one thread in its CPU time, immune to preemption on a shared machine; more
    /// in wall time, so repeats give a quiet moment a chance).
    static func measure(pool: WorkerPool, steps: Int = 2_000_000, seconds: Double = 0.6) -> Double {
        let threads = pool.threadCount
        var best = Double.infinity, spent = 0.0, runs = 0
        withUnsafeTemporaryAllocation(of: Float.self, capacity: threads) { sums in
            while spent < seconds || runs < 5 {
                let start = clockSeconds(threadTime: threads == 1)
                pool.parallelFor(threads) { task in
                    // Stored so the optimizer keeps the work.
                    sums[task] = multiplyAddChains(steps: steps, seed: Float(runs &+ task)).laneSum()
                }
                let elapsed = clockSeconds(threadTime: threads == 1) - start
                best = min(best, elapsed); spent += elapsed; runs += 1
            }
        }
        return operations(steps: steps) * Double(threads) / best / 1e9
    }

    /// Seconds on the monotonic clock, or the calling thread's CPU time.
    static func clockSeconds(threadTime: Bool) -> Double {
        var time = timespec()
        clock_gettime(threadTime ? CLOCK_THREAD_CPUTIME_ID : CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
