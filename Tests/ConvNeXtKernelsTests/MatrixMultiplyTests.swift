import Testing
@testable import ConvNeXtKernels

@Suite struct MatrixMultiplyTests {
    enum Kind: CaseIterable { case store, gelu, relu, identity, addScaled, addUnscaled, normalize }

    /// Runs fast and naive kernels on one shape and compares them.
    func check(rows m: Int, outputs n: Int, inputs k: Int, kind: Kind, withBias: Bool, pool: WorkerPool, seed: UInt64) {
        var random = SeededRandom(seed: seed)
        let input = random.floats(m * k), weights = random.floats(n * k)
        let bias = random.floats(n), scale = random.floats(n), residual = random.floats(m * n), shift = random.floats(n)
        let packed = weights.withUnsafeBufferPointer { PackedMatrix(weights: $0, outputCount: n, inputCount: k) }
        var fast = kind == .addScaled || kind == .addUnscaled ? residual : [Float](repeating: .nan, count: m * n)
        var naive = kind == .addScaled || kind == .addUnscaled ? residual : [Float](repeating: 0, count: m * n)
        var plain = [Float](repeating: 0, count: m * n)
        scale.withUnsafeBufferPointer { scalePointer in
          shift.withUnsafeBufferPointer { shiftPointer in
            let epilogue: MatrixEpilogue
            switch kind {
            case .store: epilogue = .store
            case .gelu: epilogue = .activate(.gelu)
            case .relu: epilogue = .activate(.relu)
            case .identity: epilogue = .activate(.identity)
            case .addScaled: epilogue = .addScaled(scalePointer.baseAddress!)
            case .addUnscaled: epilogue = .addScaled(nil)
            case .normalize: epilogue = .normalize(LayerNormParameters(weight: scalePointer.baseAddress!, bias: shiftPointer.baseAddress!, epsilon: 1e-6))
            }
            bias.withUnsafeBufferPointer { biasPointer in
                let b = withBias ? biasPointer.baseAddress : nil
                matrixMultiply(input, rows: m, weights: packed, bias: b, output: &fast, epilogue: epilogue, pool: pool)
                NaiveKernels.matrixMultiply(input, rows: m, weights: weights, outputCount: n, inputCount: k, bias: b, output: &naive, epilogue: epilogue)
                NaiveKernels.matrixMultiply(input, rows: m, weights: weights, outputCount: n, inputCount: k, bias: b, output: &plain)
            }
          }
        }
        // Rounding grows with the magnitude of the summed products.
        expectClose(fast, naive, "\(m)x\(k)·\(k)x\(n) \(kind) bias \(withBias) threads \(pool.threadCount)") { index in
            let row = index / n, column = index % n
            var magnitude: Float = withBias ? abs(bias[column]) : 0
            for p in 0..<k { magnitude += abs(input[row * k + p] * weights[column * k + p]) }
            if kind == .addScaled || kind == .addUnscaled { magnitude += abs(residual[index]) }
            guard kind == .normalize else { return 2e-6 * (1 + magnitude) }
            // Normalized: the products' rounding is divided by the row's deviation.
            let values = plain[row * n ..< (row + 1) * n]
            let mean = values.reduce(0, +) / Float(n)
            let deviation = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Float(n) + 1e-6).squareRoot()
            return 4e-6 * (1 + magnitude) * abs(scale[column]) / deviation + 1e-6
        }
    }

    @Test(arguments: Kind.allCases)
    func randomShapes(kind: Kind) {
        var random = SeededRandom(seed: 42)
        for trial in 0..<40 {
            let m = Int.random(in: 1...70, using: &random)
            let n = Int.random(in: 1...70, using: &random)
            let k = Int.random(in: 1...70, using: &random)
            let pool = TestPools.all[trial % 3]
            check(rows: m, outputs: n, inputs: k, kind: kind, withBias: trial % 2 == 0, pool: pool, seed: UInt64(trial))
        }
    }

    /// Edge shapes: one row, one column, primes, N just past a panel, exact tiles.
    @Test(arguments: [
        (1, 1, 1), (1, 70, 64), (70, 1, 67), (7, 61, 59), (13, 33, 1), (6, 32, 32), (12, 64, 16),
        (49, 67, 53), (53, 17, 71), (5, 129, 40), (2, 200, 300), (61, 31, 0),
    ])
    func edgeShapes(shape: (Int, Int, Int)) {
        for (index, kind) in Kind.allCases.enumerated() {
            for pool in TestPools.all {
                check(rows: shape.0, outputs: shape.1, inputs: shape.2, kind: kind, withBias: index % 2 == 1, pool: pool, seed: UInt64(index))
            }
        }
    }

    /// Few rows with many columns: the work is split by column panels.
    @Test func splitsByPanels() {
        check(rows: 3, outputs: 310, inputs: 150, kind: .gelu, withBias: true, pool: TestPools.three, seed: 7)
        check(rows: 9, outputs: 250, inputs: 90, kind: .addScaled, withBias: true, pool: TestPools.two, seed: 8)
    }

    @Test func packingZeroPadsTheLastPanel() {
        let weights: [Float] = (0..<15).map(Float.init)
        let packed = weights.withUnsafeBufferPointer { PackedMatrix(weights: $0, outputCount: 5, inputCount: 3) }
        #expect(packed.panelCount == 1 || MatrixTile.columns < 5)
        let scalars = packed.packed.scalars
        let width = MatrixTile.columns
        // Column j of the panel is output j; row p is input p.
        #expect(scalars[1 * width + 2] == weights[2 * 3 + 1])
        if width > 5 { #expect(scalars[width - 1] == 0) }
    }
}
