import ConvNeXt
import ConvNeXtKernels

/// A ConvNeXt whose parameters can be differentiated and updated: the training counterpart of
/// `ConvNeXtModel`, with the same semantics (transformers' `ConvNextModel` and
/// `ConvNextForImageClassification`, V1 and V2).
///
/// Parameters are kept by their canonical names (transformers' keys without the `convnext.`
/// prefix, ``ParameterLayout``'s order), so optimizers, parameter groups and checkpoints share
/// one set of keys. The model is a value: an optimizer step replaces tensors in ``parameters``.
public struct TrainableConvNeXt: Sendable {
    /// The hyper-parameters the model was built from.
    public let configuration: ConvNeXtConfiguration
    /// `.imageClassification` (logits) or `.base` (pooled features).
    public let architecture: ModelArchitecture
    /// Every parameter's canonical name and shape, in model order.
    public let layout: ParameterLayout
    /// The current parameter values by canonical name. ``forward(_:layout:on:training:dropPathRate:generator:)``
    /// throws if one is missing or has changed shape; entries the layout lacks are ignored.
    public var parameters: [String: Tensor]
    let activation: Activation

    /// A model holding `parameters` (by canonical name; see ``ParameterLayout``).
    ///
    /// - Throws: `ConvNeXtError` when the configuration is invalid, the architecture is a
    ///   backbone, or a parameter is missing, unexpected or misshapen.
    public init(configuration: ConvNeXtConfiguration, architecture: ModelArchitecture = .imageClassification, parameters: [String: Tensor]) throws {
        guard architecture != .backbone else {
            throw ConvNeXtError.invalidConfiguration(field: "architectures", reason: "training supports ConvNextModel and ConvNextForImageClassification, not backbones")
        }
        let layout = try ParameterLayout(configuration: configuration, architecture: architecture)
        for (name, shape) in layout.entries {
            guard let tensor = parameters[name] else { throw ConvNeXtError.missingTensor(name: name) }
            guard tensor.shape == shape else { throw ConvNeXtError.shapeMismatch(name: name, expected: shape, found: tensor.shape) }
        }
        let known = Set(layout.entries.map(\.name))
        let unexpected = parameters.keys.filter { !known.contains($0) }.sorted()
        guard unexpected.isEmpty else { throw ConvNeXtError.unexpectedTensors(names: unexpected) }
        self.configuration = configuration
        self.architecture = architecture
        self.layout = layout
        self.parameters = parameters
        activation = try configuration.activation()
    }

    /// A freshly initialized model (transformers' initialization; see
    /// `ParameterLayout.initialParameters(configuration:seed:)`).
    public init(configuration: ConvNeXtConfiguration, architecture: ModelArchitecture = .imageClassification, seed: UInt64) throws {
        let layout = try ParameterLayout(configuration: configuration, architecture: architecture)
        try self.init(configuration: configuration, architecture: architecture,
                      parameters: layout.initialParameters(configuration: configuration, seed: seed))
    }

    /// The canonical parameter names in model order.
    public var parameterNames: [String] { layout.entries.map(\.name) }

    /// The gradient of every parameter by canonical name, zeros for those the backward pass did
    /// not reach, so every key of ``parameters`` has one.
    public func gradients(from gradients: Gradients) -> [String: Tensor] {
        var result: [String: Tensor] = [:]
        for (name, shape) in layout.entries { result[name] = gradients[name] ?? Tensor(shape: shape) }
        return result
    }

    /// Stochastic depth rates per block, stage by stage, rising linearly from 0 at the first
    /// block to `maximum` at the last (transformers' and timm's `linspace(0, rate, Σ depths)`).
    public func dropPathRates(maximum: Double) -> [[Float]] {
        let total = configuration.depths.reduce(0, +)
        var index = 0
        return configuration.depths.map { depth in
            (0..<depth).map { _ in
                defer { index += 1 }
                return total > 1 ? Float(maximum * Double(index) / Double(total - 1)) : 0
            }
        }
    }
}
