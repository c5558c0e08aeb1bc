import ConvNeXt
import ConvNeXtKernels
import ConvNeXtTraining
import Foundation
import Testing

/// The committed training fixtures (scripts/generate_training_fixtures.py).
let trainingFixturesURL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures").appendingPathComponent("training")

/// One pool for every test: a pool per test would start threads per test.
let testPool = WorkerPool(threadCount: 2)

/// A tensor of standard normal values times `scale`, plus `offset`.
func randomTensor(_ shape: [Int], seed: UInt64, scale: Float = 1, offset: Float = 0) -> Tensor {
    var generator = SeededGenerator(seed: seed)
    return Tensor(shape: shape) { values in
        for i in values.indices { values[i] = offset + scale * generator.nextGaussian() }
    }
}

/// Random parameters for `layout` in the spirit of the fixtures: weights ~ N(0, 1/fan_in),
/// LayerNorm weights 1 + 0.1 N, biases 0.1 N, layer scale 0.5 + 0.1 N, GRN 0.1 N. (Fresh
/// initialization sets layer scale to 1e-6, which would make every block an identity.)
func randomParameters(_ layout: ParameterLayout, seed: UInt64) -> [String: Tensor] {
    var result: [String: Tensor] = [:]
    for (index, (name, shape)) in layout.entries.enumerated() {
        let seed = seed &+ UInt64(index) &* 7919
        if layout.normalizationParameters.contains(name) {
            result[name] = randomTensor(shape, seed: seed, scale: 0.1, offset: name.hasSuffix(".weight") ? 1 : 0)
        } else if name.hasSuffix("layer_scale_parameter") {
            result[name] = randomTensor(shape, seed: seed, scale: 0.1, offset: 0.5)
        } else if name.hasSuffix(".bias") || name.contains(".grn.") {
            result[name] = randomTensor(shape, seed: seed, scale: 0.1)
        } else {
            let fanIn = shape.dropFirst().reduce(1, *)
            result[name] = randomTensor(shape, seed: seed, scale: 1 / Float(fanIn).squareRoot())
        }
    }
    return result
}

/// `max|a − b| / max|b|`.
func relativeError(_ a: [Float], _ b: [Float]) -> Double {
    precondition(a.count == b.count)
    let difference = zip(a, b).map { Double(abs($0 - $1)) }.max() ?? 0
    let scale = b.map { Double(abs($0)) }.max() ?? 0
    return scale == 0 ? difference : difference / scale
}
