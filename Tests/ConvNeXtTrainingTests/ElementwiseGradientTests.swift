import ConvNeXt
import ConvNeXtKernels
import ConvNeXtTraining
import Testing

/// Finite-difference checks of the activations, the residual add, pooling, drop path and the losses.
@Suite struct ElementwiseGradientTests {
    static let activations: [(String, Activation)] = [
        ("gelu", .gelu), ("geluTanh", .geluTanh), ("quickGELU", .quickGELU), ("relu", .relu), ("reluSquared", .reluSquared),
        ("relu6", .relu6), ("leakyReLU", .leakyReLU), ("silu", .silu), ("mish", .mish), ("tanh", .tanh),
        ("sigmoid", .sigmoid), ("laplace", .laplace), ("identity", .identity),
    ]

    @Test(arguments: activations)
    func activation(name: String, activation: Activation) {
        // Values spread over [-8, 8] but kept 0.05 away from the kinks at 0 and 6.
        let x = randomTensor([3, 2, 2, 11], seed: 20, scale: 3)
        var spread = x.scalars.map { abs($0) < 0.05 ? $0 + 0.1 : $0 }
        spread = spread.map { abs($0 - 6) < 0.05 ? $0 + 0.1 : $0 }
        spread[0] = 7.5; spread[1] = -7.5; spread[2] = 0.3; spread[3] = -0.3
        checkGradients("activation \(name)", inputs: [Tensor(shape: x.shape, scalars: spread)]) { v in
            v[0].map { DoubleReference.activation(name, $0) }
        } operation: { v in
            v[0].activated(activation)
        }
    }

    @Test func residualAddWithSharedInput() {
        // x + f(x): the gradient of x accumulates from both paths.
        checkGradients("residual add", inputs: [randomTensor([2, 3, 5], seed: 21), randomTensor([5], seed: 22)]) { v in
            v[0].indices.map { v[0][$0] + v[0][$0] * v[1][$0 % 5] }
        } operation: { v in
            v[0] + v[0].scalingChannels(by: v[1])
        }
    }

    @Test func meanOverPixels() {
        let (n, h, w, c) = (2, 3, 5, 4)
        checkGradients("mean over pixels", inputs: [randomTensor([n, h, w, c], seed: 23)]) { v in
            (0..<n * c).map { i in
                let (image, channel) = (i / c, i % c)
                return (0..<h * w).reduce(0) { $0 + v[0][(image * h * w + $1) * c + channel] } / Double(h * w)
            }
        } operation: { v in
            v[0].meanOverPixels()
        }
    }

    @Test func dropPathWithFixedMask() {
        let scales: [Float] = [0, 1.25, 1.25]
        checkGradients("sample scaling", inputs: [randomTensor([3, 2, 2, 3], seed: 24)]) { v in
            v[0].indices.map { v[0][$0] * Double(scales[$0 / 12]) }
        } operation: { v in
            v[0].scalingSamples(by: scales)
        }
    }

    @Test(arguments: [Float(0), 0.1])
    func crossEntropy(labelSmoothing: Float) {
        let (batch, classes) = (4, 7)
        let labels = [3, 0, 6, 3]
        checkGradients("cross-entropy smoothing \(labelSmoothing)", inputs: [randomTensor([batch, classes], seed: 25, scale: 3)]) { v in
            var targets = [Double](repeating: Double(labelSmoothing) / Double(classes), count: batch * classes)
            for (n, label) in labels.enumerated() { targets[n * classes + label] += 1 - Double(labelSmoothing) }
            return [DoubleReference.softCrossEntropy(v[0], targets, classes: classes)]
        } operation: { v in
            v[0].crossEntropy(labels: labels, labelSmoothing: labelSmoothing)
        }
    }

    @Test func softTargetCrossEntropy() {
        let (batch, classes) = (3, 5)
        var generator = SeededGenerator(seed: 26)
        var targets = (0..<batch * classes).map { _ in Float.random(in: 0..<1, using: &generator) }
        for n in 0..<batch {
            let total = targets[n * classes ..< (n + 1) * classes].reduce(0, +)
            for c in 0..<classes { targets[n * classes + c] /= total }
        }
        let target = Tensor(shape: [batch, classes], scalars: targets)
        checkGradients("soft-target cross-entropy", inputs: [randomTensor([batch, classes], seed: 27, scale: 2)]) { v in
            [DoubleReference.softCrossEntropy(v[0], targets.map(Double.init), classes: classes)]
        } operation: { v in
            v[0].softCrossEntropy(targets: target)
        }
    }

    @Test func dropPathSemantics() {
        let tape = Tape(pool: testPool)
        let x = tape.parameter(randomTensor([64, 2, 3], seed: 28))
        var generator = SeededGenerator(seed: 29)
        #expect(x.droppingPaths(rate: 0, generator: &generator).value == x.value)
        let dropped = x.droppingPaths(rate: 0.25, generator: &generator)
        var kept = 0
        for n in 0..<64 {
            let input = x.value.scalars[n * 6 ..< (n + 1) * 6], output = dropped.value.scalars[n * 6 ..< (n + 1) * 6]
            if output.allSatisfy({ $0 == 0 }) { continue }
            kept += 1
            #expect(zip(input, output).allSatisfy { abs($0 / 0.75 - $1) <= 1e-6 * abs($1) })
        }
        #expect((32...60).contains(kept), "kept \(kept) of 64 samples at rate 0.25")
        var again = SeededGenerator(seed: 29)
        _ = x.droppingPaths(rate: 0, generator: &again)
        #expect(x.droppingPaths(rate: 0.25, generator: &again).value == dropped.value, "same seed, same mask")
    }
}
