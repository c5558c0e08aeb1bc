/// The description of a stored tensor, known without reading its data.
public struct TensorInfo: Hashable, Sendable {
    /// The element type as stored in the file.
    public let dtype: DType

    /// The extent of each axis, outermost first; `[]` for a scalar.
    public let shape: [Int]

    /// Creates a description of a tensor with the given element type and shape.
    public init(dtype: DType, shape: [Int]) {
        self.dtype = dtype
        self.shape = shape
    }

    /// The number of elements: the product of ``shape`` (1 for a scalar).
    public var scalarCount: Int { shape.reduce(1, *) }
}
