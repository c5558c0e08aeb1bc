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

    /// Claimed loops run every index once, each on one task in `0..<min(tasks, count)`.
    @Test(arguments: [1, 2, 3])
    func claimedLoopsVisitEveryIndexOnce(threads: Int) {
        let pool = WorkerPool(threadCount: threads)
        for (count, tasks) in [(0, 2), (1, 2), (5, 2), (5, 8), (64, 3), (300, 1)] {
            var claimant = [Int](repeating: -1, count: count)
            var visits = [Int](repeating: 0, count: count)
            visits.withUnsafeMutableBufferPointer { visits in
                claimant.withUnsafeMutableBufferPointer { claimant in
                    pool.parallelClaim(count, tasks: tasks) { task, index in
                        visits[index] += 1
                        claimant[index] = task
                    }
                }
            }
            #expect(visits.allSatisfy { $0 == 1 }, "count \(count) tasks \(tasks)")
            #expect(claimant.allSatisfy { (0..<min(tasks, count)).contains($0) })
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

    @Test func availableCoresIsSensible() throws {
        let cores = WorkerPool.availableCores
        #expect(cores >= 1)
        #expect(WorkerPool().threadCount == cores)
        #expect(WorkerPool(threadCount: 0).threadCount == 1)
        #if os(Linux)
        // No more than the CPUs in this thread's affinity mask (`taskset -c 0` makes it 1).
        let status = try String(contentsOfFile: "/proc/thread-self/status", encoding: .utf8)
        if let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Cpus_allowed_list:") }) {
            var allowed = 0
            for range in line.split(separator: ":")[1].split(separator: ",") {
                let bounds = range.split(separator: "-").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
                allowed += bounds.count == 2 ? bounds[1] - bounds[0] + 1 : 1
            }
            #expect(cores <= allowed)
        }
        #endif
    }

    #if os(Linux)
    @Test func cgroupQuotaFilesParse() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cpu-quota-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("cpu.max").path
        try "150000 100000\n".write(toFile: file, atomically: true, encoding: .utf8)
        #expect(ProcessorCount.readV2Quota(file) == 1.5)
        try "max 100000\n".write(toFile: file, atomically: true, encoding: .utf8)
        #expect(ProcessorCount.readV2Quota(file) == nil)
        try "50000\n".write(toFile: directory.appendingPathComponent("cpu.cfs_quota_us").path, atomically: true, encoding: .utf8)
        try "100000\n".write(toFile: directory.appendingPathComponent("cpu.cfs_period_us").path, atomically: true, encoding: .utf8)
        #expect(ProcessorCount.readV1Quota(directory.path) == 0.5)
        #expect(ProcessorCount.ancestors(of: "/sys/fs/cgroup/a/b", root: "/sys/fs/cgroup") == ["/sys/fs/cgroup/a/b", "/sys/fs/cgroup/a", "/sys/fs/cgroup"])
        #expect(ProcessorCount.ancestors(of: "/sys/fs/cgroup/", root: "/sys/fs/cgroup") == ["/sys/fs/cgroup"])
    }
    #endif
}
