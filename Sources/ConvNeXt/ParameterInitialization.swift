import Foundation

/// A small, fast, seedable pseudo-random generator (SplitMix64), so that initial weights and
/// test data reproduce exactly from a seed.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A standard normal sample (Box–Muller).
    public mutating func nextGaussian() -> Float {
        let u1 = Double.random(in: Double.leastNonzeroMagnitude..<1, using: &self)
        let u2 = Double.random(in: 0..<1, using: &self)
        return Float((-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * Double.pi * u2))
    }
}

extension ParameterLayout {
    /// Fresh parameters initialized as transformers initializes a new model: convolution and
    /// linear weights from N(0, `initializer_range`²), biases 0, LayerNorm weights 1, layer scale
    /// `layer_scale_init_value`, GRN parameters 0.
    public func initialParameters(configuration: ConvNeXtConfiguration, seed: UInt64) -> [String: Tensor] {
        var generator = SeededGenerator(seed: seed)
        let deviation = Float(configuration.initializerRange)
        var parameters: [String: Tensor] = [:]
        for (name, shape) in entries {
            let isNorm = normalizationParameters.contains(name)
            if name.hasSuffix(".layer_scale_parameter") {
                parameters[name] = Tensor(shape: shape, repeating: Float(configuration.layerScaleInitValue))
            } else if name.hasSuffix(".weight"), !name.contains(".grn."), !isNorm {
                parameters[name] = Tensor(shape: shape) { values in
                    for index in values.indices { values[index] = deviation * generator.nextGaussian() }
                }
            } else {
                parameters[name] = Tensor(shape: shape, repeating: isNorm && name.hasSuffix(".weight") ? 1 : 0)
            }
        }
        return parameters
    }
}
