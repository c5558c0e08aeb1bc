import ConvNeXtKernels

/// The gradients a backward pass produced for the parameters of a ``Tape``.
public struct Gradients: Sendable {
    private var byID: [Int: Tensor] = [:]
    /// Gradients of the parameters that were given a name, by that name.
    public private(set) var byName: [String: Tensor] = [:]

    init() {}

    mutating func add(_ gradient: Tensor, id: Int, name: String?) {
        byID[id] = gradient
        if let name { byName[name] = gradient }
    }

    /// The gradient of `parameter`, or nil if the backward pass did not reach it.
    public subscript(_ parameter: Variable) -> Tensor? { byID[parameter.id] }

    /// The gradient of the parameter named `name`, or nil if the backward pass did not reach it.
    public subscript(_ name: String) -> Tensor? { byName[name] }
}
