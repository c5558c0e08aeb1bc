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
        let source = InitialParameters(layout: self, configuration: configuration, seed: seed)
        var parameters: [String: Tensor] = [:]
        for (name, _) in entries { parameters[name] = source.next() }
        return parameters
    }

    /// The same parameters as ``initialParameters(configuration:seed:)``, made one at a time as
    /// they are read, so a model built from it (see
    /// ``ConvNeXtModel/init(configuration:architecture:source:naming:pool:)``) never holds
    /// them all unpacked. Reading in layout order (as a model does) costs nothing extra.
    public func initialParameterSource(configuration: ConvNeXtConfiguration, seed: UInt64) -> some TensorSource {
        InitialParameters(layout: self, configuration: configuration, seed: seed)
    }
}

/// Initial parameters generated in layout order from one seeded stream; a read out of order
/// restarts the stream and skips ahead.
final class InitialParameters: TensorSource {
    private let layout: ParameterLayout
    private let configuration: ConvNeXtConfiguration
    private let seed: UInt64
    private var generator: SeededGenerator
    private var position = 0

    init(layout: ParameterLayout, configuration: ConvNeXtConfiguration, seed: UInt64) {
        (self.layout, self.configuration, self.seed) = (layout, configuration, seed)
        generator = SeededGenerator(seed: seed)
    }

    var tensorNames: [String] { layout.entries.map(\.name) }
    func shape(of name: String) -> [Int]? { layout.shape(of: name) }

    func tensor(named name: String) throws -> Tensor {
        guard let index = layout.entries.firstIndex(where: { $0.name == name }) else { throw ConvNeXtError.missingTensor(name: name) }
        if index < position { (generator, position) = (SeededGenerator(seed: seed), 0) }
        while position < index { _ = next() }
        return next()
    }

    /// The tensor at `position`, advancing the stream past it.
    func next() -> Tensor {
        let (name, shape) = layout.entries[position]
        position += 1
        let isNorm = layout.normalizationParameters.contains(name)
        if name.hasSuffix(".layer_scale_parameter") {
            return Tensor(shape: shape, repeating: Float(configuration.layerScaleInitValue))
        } else if name.hasSuffix(".weight"), !name.contains(".grn."), !isNorm {
            let deviation = Float(configuration.initializerRange)
            return Tensor(shape: shape) { values in
                for index in values.indices { values[index] = deviation * generator.nextGaussian() }
            }
        } else {
            return Tensor(shape: shape, repeating: isNorm && name.hasSuffix(".weight") ? 1 : 0)
        }
    }
}
