import Dispatch
import Foundation
import Synchronization
import Testing
@testable import ConvNeXtKernels

@Suite struct WorkerPoolTests {
    /// Every index runs exactly once; each of the `min(threads, count)` contiguous chunks runs
    /// on one thread.
    @Test(arguments: [1, 2, 3, 8])
    func visitsEveryIndexOnce(threads: Int) {
        let pool = WorkerPool(threadCount: threads)
        #expect(pool.threadCount == threads)
        for count in [0, 1, 2, 3, 7, 1000] {
            var visits = [Int](repeating: 0, count: count)
            var owners = [ObjectIdentifier?](repeating: nil, count: count)
            visits.withUnsafeMutableBufferPointer { visits in
                owners.withUnsafeMutableBufferPointer { owners in
                    pool.parallelFor(count) { index in
                        visits[index] += 1
                        owners[index] = ObjectIdentifier(Thread.current)
                    }
                }
            }
            #expect(visits.allSatisfy { $0 == 1 }, "count \(count) threads \(threads)")
            let chunks = min(threads, count)
            for chunk in 0..<chunks {
                let range = count * chunk / chunks ..< count * (chunk + 1) / chunks
                #expect(Set(owners[range]).count == 1, "chunk \(range) ran on several threads")
            }
        }
    }

    @Test func concurrentCallersEachGetTheirOwnLoop() {
        let pool = WorkerPool(threadCount: 3)
        let totals = Mutex<[Int]>([Int](repeating: 0, count: 6))
        DispatchQueue.concurrentPerform(iterations: 6) { caller in
            for round in 0..<50 {
                let count = 10 + caller * 7 + round
                let sum = Atomic<Int>(0)
                pool.parallelFor(count) { index in sum.add(index, ordering: .relaxed) }
                let value = sum.load(ordering: .relaxed)
                #expect(value == count * (count - 1) / 2)
                totals.withLock { $0[caller] += 1 }
            }
        }
        #expect(totals.withLock { $0 } == [Int](repeating: 50, count: 6))
    }

    @Test func nestedLoopsRunInline() {
        let pool = WorkerPool(threadCount: 2)
        let sum = Atomic<Int>(0)
        pool.parallelFor(4) { outer in
            pool.parallelFor(5) { inner in
                pool.parallelFor(2) { innermost in sum.add(outer * 100 + inner * 10 + innermost, ordering: .relaxed) }
            }
        }
        var expected = 0
        for outer in 0..<4 { for inner in 0..<5 { for innermost in 0..<2 { expected += outer * 100 + inner * 10 + innermost } } }
        #expect(sum.load(ordering: .relaxed) == expected)
    }

    @Test func poolsStopWhenReleased() {
        for _ in 0..<20 {
            let pool = WorkerPool(threadCount: 3)
            let sum = Atomic<Int>(0)
            pool.parallelFor(30) { sum.add($0, ordering: .relaxed) }
            #expect(sum.load(ordering: .relaxed) == 435)
        }
    }

    @Test func availableCoresIsSensible() {
        let cores = WorkerPool.availableCores
        #expect(cores >= 1)
        #expect(cores <= 65_536)
        #expect(WorkerPool().threadCount == cores)
        #expect(WorkerPool(threadCount: 0).threadCount == 1)
    }
}

