extension Activation {
    /// The activations transformers' `ACT2FN` knows by name, for `hidden_act`.
    static let byTransformersName: [String: Activation] = [
        "gelu": .gelu, "gelu_python": .gelu,
        "gelu_new": .geluTanh, "gelu_fast": .geluTanh, "gelu_accurate": .geluTanh, "gelu_pytorch_tanh": .geluTanh,
        "gelu_10": .geluClipped, "quick_gelu": .quickGELU,
        "relu": .relu, "relu2": .reluSquared, "relu6": .relu6, "leaky_relu": .leakyReLU,
        "silu": .silu, "swish": .silu, "mish": .mish, "tanh": .tanh, "sigmoid": .sigmoid,
        "laplace": .laplace, "linear": .identity,
    ]

    /// The names accepted by ``init(transformersName:)``.
    public static var transformersNames: [String] { Array(byTransformersName.keys) }

    /// The activation transformers' `ACT2FN[name]` computes, or nil for a name it does not have
    /// (or one with learned parameters, which ConvNeXt checkpoints never use).
    public init?(transformersName name: String) {
        guard let activation = Activation.byTransformersName[name] else { return nil }
        self = activation
    }
}
