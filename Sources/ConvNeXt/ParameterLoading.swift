extension ParameterLayout {
    /// Reads every parameter of this layout from `source`, whose keys follow `naming`.
    ///
    /// Loading is strict: a missing tensor, a tensor with no place in the model, two keys for
    /// the same parameter, a wrong shape, or a NaN or infinite value is an error naming the tensor. Shapes that differ
    /// only by axes of extent 1 are accepted for pointwise weights (timm's `conv_mlp` stores
    /// them as 1x1 convolutions) and GRN parameters (timm stores them flat).
    public func load(from source: some TensorSource, naming: CheckpointNaming) throws -> [String: Tensor] {
        let reader = try reader(for: source, naming: naming)
        var parameters: [String: Tensor] = [:]
        for (name, _) in entries { parameters[name] = try reader(name) }
        return parameters
    }

    /// Checks that `source` has no tensor outside this layout and none twice (reading names
    /// only) and returns a reader of one parameter at a time, which checks presence and shape
    /// as it reads, for building a model without holding every unpacked tensor at once.
    func reader(for source: some TensorSource, naming: CheckpointNaming) throws -> ParameterReader {
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

        // Missing and misshapen tensors are reported as they are reached, in layout order, so
        // errors come in the same order whether a model is built or all tensors are loaded.
        let expectedShapes = Dictionary(entries.map { ($0.name, $0.shape) }, uniquingKeysWith: { first, _ in first })
        return ParameterReader(shapes: expectedShapes) { name in
            guard let expected = expectedShapes[name], let key = keyForName[name] else { throw ConvNeXtError.missingTensor(name: name) }
            let found = source.shape(of: key) ?? []
            guard found == expected || (ParameterLayout.allowsSqueezedShape(name) && found.filter({ $0 != 1 }) == expected.filter({ $0 != 1 })) else {
                throw ConvNeXtError.shapeMismatch(name: key, expected: expected, found: found)
            }
            let tensor = try source.tensor(named: key)
            guard tensor.count == expected.reduce(1, *) else {
                throw ConvNeXtError.shapeMismatch(name: key, expected: expected, found: tensor.shape)
            }
            if let index = tensor.withUnsafeBufferPointer(firstNonFiniteIndex) {
                throw ConvNeXtError.nonFiniteParameter(name: key, index: index)
            }
            return tensor.reshaped(expected)
        }
    }

    private static func allowsSqueezedShape(_ name: String) -> Bool {
        name.hasSuffix(".pwconv1.weight") || name.hasSuffix(".pwconv2.weight") || name.contains(".grn.")
    }
}

/// Reads a validated layout's parameters by canonical name, one at a time, in their expected shapes.
struct ParameterReader {
    /// The expected shape of every parameter of the layout.
    let shapes: [String: [Int]]
    let read: (String) throws -> Tensor

    /// The parameter called `name`, which must be in the layout.
    func callAsFunction(_ name: String) throws -> Tensor { try read(name) }

    /// The parameter called `name`, or nil when the layout has no such parameter.
    func optional(_ name: String) throws -> Tensor? { shapes[name] == nil ? nil : try read(name) }
}
