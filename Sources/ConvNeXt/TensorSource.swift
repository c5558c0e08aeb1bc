/// Named tensors a model's parameters can be read from: a safetensors checkpoint, a sharded
/// checkpoint, or tensors in memory.
public protocol TensorSource {
    /// The names of all tensors in the source.
    var tensorNames: [String] { get }
    /// The shape of a tensor without reading its data, or nil when the source has no such tensor.
    func shape(of name: String) -> [Int]?
    /// Reads a tensor, converted to 32-bit floats.
    func tensor(named name: String) throws -> Tensor
}

/// Tensors held in memory, by name.
public struct InMemoryTensors: TensorSource, Sendable {
    /// The tensors.
    public var tensors: [String: Tensor]

    public init(_ tensors: [String: Tensor]) { self.tensors = tensors }

    public var tensorNames: [String] { tensors.keys.sorted() }
    public func shape(of name: String) -> [Int]? { tensors[name]?.shape }
    public func tensor(named name: String) throws -> Tensor {
        guard let tensor = tensors[name] else { throw ConvNeXtError.missingTensor(name: name) }
        return tensor
    }
}
