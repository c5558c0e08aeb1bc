extension ParameterLayout {
    /// Reads every parameter of this layout from `source`, whose keys follow `naming`.
    ///
    /// Loading is strict: a missing tensor, a tensor with no place in the model, two keys for
    /// the same parameter, or a wrong shape is an error naming the tensor. Shapes that differ
    /// only by axes of extent 1 are accepted for pointwise weights (timm's `conv_mlp` stores
    /// them as 1x1 convolutions) and GRN parameters (timm stores them flat).
    public func load(from source: some TensorSource, naming: CheckpointNaming) throws -> [String: Tensor] {
        var keyForName: [String: String] = [:]
        var unexpected: [String] = []
        for key in source.tensorNames {
            guard let name = naming.canonicalName(of: key), shape(of: name) != nil else {
                unexpected.append(key)
                continue
            }
            if let other = keyForName[name] {
                throw ConvNeXtError.invalidInput("checkpoint keys '\(other)' and '\(key)' both hold parameter '\(name)'")
            }
            keyForName[name] = key
        }
        if !unexpected.isEmpty { throw ConvNeXtError.unexpectedTensors(names: unexpected.sorted()) }

        var parameters: [String: Tensor] = [:]
        for (name, expected) in entries {
            guard let key = keyForName[name] else { throw ConvNeXtError.missingTensor(name: name) }
            let found = source.shape(of: key) ?? []
            guard found == expected || (ParameterLayout.allowsSqueezedShape(name) && found.filter({ $0 != 1 }) == expected.filter({ $0 != 1 })) else {
                throw ConvNeXtError.shapeMismatch(name: key, expected: expected, found: found)
            }
            let tensor = try source.tensor(named: key)
            guard tensor.count == expected.reduce(1, *) else {
                throw ConvNeXtError.shapeMismatch(name: key, expected: expected, found: tensor.shape)
            }
            parameters[name] = tensor.reshaped(expected)
        }
        return parameters
    }

    private static func allowsSqueezedShape(_ name: String) -> Bool {
        name.hasSuffix(".pwconv1.weight") || name.hasSuffix(".pwconv2.weight") || name.contains(".grn.")
    }
}
