import ConvNeXtKernels
@testable import ConvNeXtTraining
import Foundation
import Testing

/// GFLOP/s of the training products on ConvNeXt-T batch-16 shapes. Opt-in:
/// `CONVNEXT_TRAINING_BENCH=1 swift test -c release --filter TrainingKernelBenchmark`.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["CONVNEXT_TRAINING_BENCH"] != nil))
struct TrainingKernelBenchmark {
    @Test func products() {
        let pool = WorkerPool(threadCount: 2)
        for (m, c) in [(50176, 96), (12544, 192), (3136, 384), (784, 768)] {
            for (n, k) in [(4 * c, c), (c, 4 * c)] {
                let a = randomTensor([m, n], seed: 1), b = randomTensor([m, k], seed: 2)
                let w = randomTensor([n, k], seed: 3)
                var output = [Float](repeating: 0, count: max(n * k, m * k))
                func time(_ body: () -> Void) -> Double {
                    body()
                    var best = Double.infinity
                    for _ in 0..<3 {
                        let start = Date()
                        body()
                        best = min(best, Date().timeIntervalSince(start))
                    }
                    return 2 * Double(m * n * k) / best / 1e9
                }
                let weight = a.withUnsafeBufferPointer { a in
                    b.withUnsafeBufferPointer { b in
                        time { multiplyTransposingFirst(a.baseAddress!, b.baseAddress!, m: m, n: n, k: k, output: &output, pool: pool) }
                    }
                }
                let input = a.withUnsafeBufferPointer { a in
                    w.withUnsafeBufferPointer { w in
                        time { multiply(a.baseAddress!, w.baseAddress!, m: m, n: n, k: k, output: &output, pool: pool) }
                    }
                }
                print(String(format: "m %5d n %4d k %4d: weight gradient %.0f GFLOP/s, input gradient %.0f GFLOP/s", m, n, k, weight, input))
            }
        }
    }
}
