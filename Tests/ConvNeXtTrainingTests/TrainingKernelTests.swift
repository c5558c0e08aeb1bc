import ConvNeXtKernels
@testable import ConvNeXtTraining
import Testing

/// The fast training kernels against plain double-precision loops.
struct TrainingKernelTests {
    @Test(arguments: [(1, 5, 7), (300, 13, 48), (513, 96, 40), (700, 25, 70), (260, 24, 64)])
    func weightGradientMatchesReference(shape: (Int, Int, Int)) {
        let (m, n, k) = shape
        let a = randomTensor([m, n], seed: 11), b = randomTensor([m, k], seed: 12)
        let expected = a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                (0..<n * k).map { index in
                    let (row, column) = (index / k, index % k)
                    return (0..<m).reduce(0.0) { $0 + Double(a[$1 * n + row]) * Double(b[$1 * k + column]) }
                }
            }
        }
        for threads in [1, 2] {
            let pool = WorkerPool(threadCount: threads)
            var output = [Float](repeating: .nan, count: n * k)
            a.withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { b in
                    multiplyTransposingFirst(a.baseAddress!, b.baseAddress!, m: m, n: n, k: k, output: &output, pool: pool)
                }
            }
            let error = zip(output, expected).map { abs(Double($0) - $1) }.max() ?? 0
            #expect(error < 1e-4 * Double(m).squareRoot(), "m \(m) n \(n) k \(k), \(threads) threads: max error \(error)")
        }
    }

    @Test func weightGradientIsThreadCountIndependent() {
        let (m, n, k) = (2000, 40, 96)
        let a = randomTensor([m, n], seed: 13), b = randomTensor([m, k], seed: 14)
        let results = [1, 2, 3].map { threads in
            var output = [Float](repeating: 0, count: n * k)
            a.withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { b in
                    multiplyTransposingFirst(a.baseAddress!, b.baseAddress!, m: m, n: n, k: k, output: &output,
                                             pool: WorkerPool(threadCount: threads))
                }
            }
            return output
        }
        #expect(results[0] == results[1] && results[1] == results[2])
    }

    @Test(arguments: [(3, 5, 7), (70, 40, 33), (50, 96, 64)])
    func inputGradientProductMatchesReference(shape: (Int, Int, Int)) {
        let (m, n, k) = shape
        let a = randomTensor([m, n], seed: 15), b = randomTensor([n, k], seed: 16)
        var output = [Float](repeating: .nan, count: m * k)
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                multiply(a.baseAddress!, b.baseAddress!, m: m, n: n, k: k, output: &output, pool: testPool)
                var error = 0.0
                for row in 0..<m {
                    for column in 0..<k {
                        let expected = (0..<n).reduce(0.0) { $0 + Double(a[row * n + $1]) * Double(b[$1 * k + column]) }
                        error = max(error, abs(expected - Double(output[row * k + column])))
                    }
                }
                #expect(error < 1e-4, "m \(m) n \(n) k \(k): max error \(error)")
            }
        }
    }

    /// The fused block MLP against the three operations it replaces: values and all gradients.
    @Test(arguments: [[5, 12], [2, 10, 15, 12]])
    func fusedMLPMatchesSeparateOperations(shape: [Int]) throws {
        let c = shape.last!, hidden = 4 * c
        let input = randomTensor(shape, seed: 17), seed = randomTensor(Array(shape.dropLast()) + [c], seed: 18)
        let weights = [randomTensor([hidden, c], seed: 19, scale: 0.3), randomTensor([hidden], seed: 20, scale: 0.1),
                       randomTensor([c, hidden], seed: 21, scale: 0.2), randomTensor([c], seed: 22, scale: 0.1)]
        func run(fused: Bool) -> (Tensor, [Tensor?]) {
            let tape = Tape(pool: testPool)
            let x = tape.parameter(input)
            let p = weights.map { tape.parameter($0) }
            let y = fused
                ? x.geluMLP(expand: p[0], expandBias: p[1], project: p[2], projectBias: p[3])
                : x.linear(weight: p[0], bias: p[1]).activated(.gelu).linear(weight: p[2], bias: p[3])
            let gradients = y.backward(seed: seed)
            return (y.value, [gradients[x]] + p.map { gradients[$0] })
        }
        let (fusedValue, fusedGradients) = run(fused: true)
        let (value, gradients) = run(fused: false)
        #expect(relativeError(fusedValue.scalars, value.scalars) <= 1e-6)
        for (fused, separate) in zip(fusedGradients, gradients) {
            let (a, b) = (try #require(fused), try #require(separate))
            #expect(a.shape == b.shape)
            #expect(relativeError(a.scalars, b.scalars) <= 1e-5)
        }
    }

    /// Packing in parallel gives the serial packing's products, bit for bit.
    @Test func parallelPackingMatchesSerial() {
        let (rows, n, k) = (40, 70, 33)
        let input = randomTensor([rows, k], seed: 23), weights = randomTensor([n, k], seed: 24)
        func product(_ packed: PackedMatrix) -> [Float] {
            var output = [Float](repeating: 0, count: rows * n)
            input.withUnsafeBufferPointer { matrixMultiply($0.baseAddress!, rows: rows, weights: packed, bias: nil, output: &output, pool: testPool) }
            return output
        }
        let serial = weights.withUnsafeBufferPointer { PackedMatrix(weights: $0, outputCount: n, inputCount: k) }
        let parallel = weights.withUnsafeBufferPointer { PackedMatrix(weights: $0, outputCount: n, inputCount: k, pool: testPool) }
        #expect(product(serial) == product(parallel))
    }

    /// AdamW split over a pool updates exactly as on one thread (vector body and scalar tails).
    @Test func parallelAdamWMatchesSerial() throws {
        let groups = ParameterGroups(single: ["w"], weightDecay: 0.05)
        func run(pool: WorkerPool?) throws -> [Float] {
            var optimizer = try AdamW(groups: groups)
            optimizer.pool = pool
            var parameters = ["w": randomTensor([300_001], seed: 25)]
            for step in 0..<2 {
                try optimizer.step(&parameters, gradients: ["w": randomTensor([300_001], seed: 26 + UInt64(step))], learningRate: 1e-2)
            }
            return parameters["w"]!.scalars
        }
        #expect(try run(pool: nil) == run(pool: testPool))
    }
}
