import ConvNeXtKernels
import Foundation

/// Records operations on ``Variable``s so their gradients can be computed in reverse.
///
/// Every operation appends one node holding a backward closure over the buffers it saved (its
/// inputs or intermediate results). ``backward(from:seed:)`` visits nodes from last to first and
/// releases each closure as soon as it has run, so saved activations live only as long as the
/// backward pass needs them. Operations whose inputs need no gradient record no closure.
/// A tape is used by one thread at a time; its kernels run on ``pool``.
///
/// Creating a tape lets freed activation memory be kept for reuse (``TensorMemoryCache``, up to
/// a quarter of physical memory): every training step allocates the same large tensors again,
/// and mapping them anew from the system cost more than the step's arithmetic.
public final class Tape {
    /// Receives the gradient of a node's output and whether each input needs one; returns one
    /// gradient per input (nil where not needed).
    typealias Backward = (_ gradient: Tensor, _ needed: [Bool]) -> [Tensor?]

    struct Node {
        var inputs: [Int]
        var backward: Backward?
        let requiresGradient: Bool
        let name: String?
    }

    /// The threads every operation recorded on this tape runs on.
    public let pool: WorkerPool
    private var nodes: [Node] = []
    private var consumed = false

    /// A tape whose operations run on `pool`.
    public init(pool: WorkerPool = WorkerPool()) {
        self.pool = pool
        let reuse = Int(min(ProcessInfo.processInfo.physicalMemory / 4, UInt64(Int.max)))
        if TensorMemoryCache.limit < reuse { TensorMemoryCache.limit = reuse }
    }

    /// A leaf whose gradient ``backward(from:seed:)`` reports, optionally under `name` (for
    /// parameters, their canonical name).
    public func parameter(_ value: Tensor, name: String? = nil) -> Variable {
        append(Node(inputs: [], backward: nil, requiresGradient: true, name: name), value: value)
    }

    /// A leaf that needs no gradient (inputs, targets).
    public func constant(_ value: Tensor) -> Variable {
        append(Node(inputs: [], backward: nil, requiresGradient: false, name: nil), value: value)
    }

    /// Records an operation's result. `backward` is kept only when some input needs a gradient.
    func record(_ value: Tensor, inputs: [Variable], backward: @escaping Backward) -> Variable {
        precondition(inputs.allSatisfy { $0.tape === self }, "an operation mixes variables of different tapes")
        precondition(!consumed, "recording on a tape whose backward pass has run")
        let requires = inputs.contains { nodes[$0.id].requiresGradient }
        return append(Node(inputs: inputs.map(\.id), backward: requires ? backward : nil, requiresGradient: requires, name: nil), value: value)
    }

    /// Whether gradients flow into `variable`.
    func requiresGradient(_ variable: Variable) -> Bool { nodes[variable.id].requiresGradient }

    private func append(_ node: Node, value: Tensor) -> Variable {
        nodes.append(node)
        return Variable(value: value, id: nodes.count - 1, tape: self)
    }

    /// Back-propagates from `output` and returns the gradients of every parameter it depends on.
    ///
    /// - Parameters:
    ///   - output: usually a scalar loss.
    ///   - seed: the gradient of the final objective with respect to `output` (same shape);
    ///     ones when omitted (the gradient of `output` itself for a scalar).
    /// - Precondition: runs once per tape; the tape's saved buffers are released as it goes.
    public func backward(from output: Variable, seed: Tensor? = nil) -> Gradients {
        precondition(output.tape === self, "the variable belongs to another tape")
        precondition(!consumed, "backward already ran on this tape")
        consumed = true
        if let seed { precondition(seed.shape == output.value.shape, "seed shape \(seed.shape) differs from \(output.value.shape)") }
        var gradients = [Tensor?](repeating: nil, count: output.id + 1)
        gradients[output.id] = seed ?? Tensor(shape: output.value.shape, repeating: 1)
        var result = Gradients()
        for id in stride(from: output.id, through: 0, by: -1) {
            guard let gradient = gradients[id] else { nodes[id].backward = nil; continue }
            let node = nodes[id]
            nodes[id].backward = nil
            guard let backward = node.backward else {
                if node.inputs.isEmpty && node.requiresGradient { result.add(gradient, id: id, name: node.name) }
                gradients[id] = nil
                continue
            }
            gradients[id] = nil
            let needed = node.inputs.map { nodes[$0].requiresGradient }
            let inputGradients = backward(gradient, needed)
            for (input, inputGradient) in zip(node.inputs, inputGradients) where nodes[input].requiresGradient {
                guard let inputGradient else { continue }
                if gradients[input] == nil {
                    gradients[input] = inputGradient
                } else {
                    addInPlace(&gradients[input]!, inputGradient, pool: pool)
                }
            }
        }
        // Nodes recorded after `output` cannot contribute; free them too.
        for id in nodes.indices where id > output.id { nodes[id].backward = nil }
        return result
    }
}
