import Testing
@testable import ConvNeXtKernels

/// The peak-measuring loop computes what it claims (so its operation count is honest).
struct FMAPeakTests {
    @Test func chainsMatchScalarRecurrence() {
        let steps = 1000, seed: Float = 0.25
        let result = FMAPeak.multiplyAddChains(steps: steps, seed: seed)
        var expected: Float = 0
        for chain in 0..<FMAPeak.chains {
            var c = seed + Float(chain)
            for _ in 0..<steps { c = c * 0.999_9 + seed }
            expected += c
        }
        for lane in 0..<result.scalarCount {
            #expect(abs(result[lane] - expected) <= 1e-4 * abs(expected), "lane \(lane): \(result[lane]) vs \(expected)")
        }
        #expect(FMAPeak.operations(steps: steps) == Double(steps * FMAPeak.chains * result.scalarCount * 2))
    }
}
