/// A dense, contiguous array of `Float` values with a shape.
///
/// `Tensor` is a value type with copy-on-write storage: copies are cheap until one of them
/// is mutated. Storage is 64-byte aligned so vector kernels can load it efficiently.
/// The library keeps activations channels-last (`[N, H, W, C]`); the layout is a convention
/// of the caller, a tensor only knows its shape.
public struct Tensor: Sendable {
    /// The extent of each axis, outermost first.
    public private(set) var shape: [Int]
    @usableFromInline var storage: TensorStorage

    /// The number of scalars: the product of `shape`.
    public var count: Int { storage.count }

    /// A tensor of the given shape filled with `value`.
    public init(shape: [Int], repeating value: Float = 0) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative extent in shape \(shape)")
        self.shape = shape
        self.storage = TensorStorage(count: shape.reduce(1, *))
        storage.pointer.initialize(repeating: value, count: storage.count)
    }

    /// A tensor of the given shape holding `scalars` in row-major order.
    public init(shape: [Int], scalars: [Float]) {
        precondition(shape.reduce(1, *) == scalars.count, "shape \(shape) does not hold \(scalars.count) scalars")
        self.shape = shape
        self.storage = TensorStorage(count: scalars.count)
        scalars.withUnsafeBufferPointer { source in
            if let base = source.baseAddress { storage.pointer.initialize(from: base, count: source.count) }
        }
    }

    /// A tensor of the given shape whose scalars are written by `initializer`, which receives
    /// uninitialized memory for exactly `shape.reduce(1, *)` floats and must write all of them.
    public init(shape: [Int], uninitializedWith initializer: (UnsafeMutableBufferPointer<Float>) throws -> Void) rethrows {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative extent in shape \(shape)")
        self.shape = shape
        self.storage = TensorStorage(count: shape.reduce(1, *))
        try initializer(UnsafeMutableBufferPointer(start: storage.pointer, count: storage.count))
    }

    /// The scalars in row-major order.
    public var scalars: [Float] {
        withUnsafeBufferPointer { Array($0) }
    }

    /// Calls `body` with the scalars in row-major order.
    @inlinable
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: storage.pointer, count: storage.count))
    }

    /// Calls `body` with mutable access to the scalars, copying the storage first if it is shared.
    @inlinable
    public mutating func withUnsafeMutableBufferPointer<R>(_ body: (UnsafeMutableBufferPointer<Float>) throws -> R) rethrows -> R {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
        return try body(UnsafeMutableBufferPointer(start: storage.pointer, count: storage.count))
    }

    /// The same scalars viewed with another shape of equal element count.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        precondition(newShape.reduce(1, *) == count, "cannot reshape \(shape) to \(newShape)")
        var result = self
        result.shape = newShape
        return result
    }

    /// The largest absolute value, or 0 for an empty tensor.
    public var maxMagnitude: Float {
        withUnsafeBufferPointer { $0.reduce(0) { Swift.max($0, abs($1)) } }
    }
}

extension Tensor: Equatable {
    public static func == (lhs: Tensor, rhs: Tensor) -> Bool {
        lhs.shape == rhs.shape && (lhs.storage === rhs.storage || lhs.scalars == rhs.scalars)
    }
}

/// Aligned heap storage behind ``Tensor``.
///
/// `@unchecked Sendable`: a storage is only written through a `Tensor` that holds the sole
/// reference to it (copy-on-write), so shared storage is immutable.
@usableFromInline
final class TensorStorage: @unchecked Sendable {
    @usableFromInline let pointer: UnsafeMutablePointer<Float>
    @usableFromInline let count: Int
    private let mapped: Bool

    init(count: Int) {
        self.count = count
        let (raw, mapped) = LargeAllocation.allocate(byteCount: max(count, 1) * MemoryLayout<Float>.stride)
        pointer = raw.bindMemory(to: Float.self, capacity: max(count, 1))
        self.mapped = mapped
    }

    @usableFromInline func copy() -> TensorStorage {
        let result = TensorStorage(count: count)
        result.pointer.initialize(from: pointer, count: count)
        return result
    }

    deinit { LargeAllocation.deallocate(UnsafeMutableRawPointer(pointer), byteCount: max(count, 1) * MemoryLayout<Float>.stride, mapped: mapped) }
}
