import Testing
@testable import ConvNeXtKernels

/// A small deterministic generator (SplitMix64) so every failure reproduces.
struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// `count` values uniform in `range`.
    mutating func floats(_ count: Int, in range: ClosedRange<Float> = -1...1) -> [Float] {
        (0..<count).map { _ in Float.random(in: range, using: &self) }
    }
}

/// Expects `actual ≈ expected` elementwise within `tolerance(i)`, reporting the worst element.
func expectClose(
    _ actual: [Float], _ expected: [Float], _ context: @autoclosure () -> String,
    tolerance: (Int) -> Float, sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(actual.count == expected.count, "\(context()): count", sourceLocation: sourceLocation)
    var worst = -1
    var worstExcess: Float = 0
    for i in 0..<min(actual.count, expected.count) {
        let error = abs(actual[i] - expected[i])
        let excess = error / tolerance(i)
        if !(excess <= 1) && (worst < 0 || !(excess <= worstExcess)) { worst = i; worstExcess = excess }
    }
    if worst >= 0 {
        Issue.record(
            "\(context()): element \(worst) is \(actual[worst]), expected \(expected[worst]) (tolerance \(tolerance(worst)))",
            sourceLocation: sourceLocation)
    }
}

/// Pools shared by the tests (creating threads per test case would dominate small cases).
enum TestPools {
    static let one = WorkerPool(threadCount: 1)
    static let two = WorkerPool(threadCount: 2)
    static let three = WorkerPool(threadCount: 3)
    static let all = [one, two, three]
}
