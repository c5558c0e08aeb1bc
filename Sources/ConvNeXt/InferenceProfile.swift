import Foundation

/// Where forward passes spend their time: wall-clock seconds per part of the network (stem,
/// each stage, head) and kind of operation, summed over the passes it was given to.
///
/// Pass one to ``ConvNeXtModel/predict(_:layout:outputHiddenStates:profile:)``. Timing adds a
/// clock read per operation, so leave it out when not measuring. A profile is not thread-safe:
/// use one per calling task.
public final class InferenceProfile {
    /// A kind of operation of the forward pass.
    public enum Operation: String, CaseIterable, Sendable {
        /// Layout conversion at the API boundary and output copies.
        case layout
        /// The patchify stem: patch gathering, its matrix multiply and LayerNorm.
        case stem
        /// A stage's downsampling: LayerNorm, patch gathering and matrix multiply.
        case downsampling
        /// Depthwise 7x7 convolution (with the block's LayerNorm where they are fused).
        case depthwise
        /// The block's LayerNorm when it runs on its own.
        case norm
        /// The first pointwise layer with its activation (and GRN for V2).
        case expand = "pwconv1+act"
        /// The second pointwise layer with layer scale and the residual add.
        case project = "pwconv2"
        /// Pooling, the final LayerNorm and the classifier.
        case head
    }

    /// A part of the network and an operation in it.
    public struct Key: Hashable, Sendable {
        /// `"stem"`, `"stage 1"`…, or `"head"`.
        public let part: String
        /// The kind of operation.
        public let operation: Operation

        /// The key for `operation` in `part`.
        public init(part: String, operation: Operation) {
            self.part = part
            self.operation = operation
        }
    }

    /// Seconds per part and operation, summed over ``passes``.
    public private(set) var seconds: [Key: Double] = [:]
    /// The number of forward passes recorded.
    public private(set) var passes = 0

    /// An empty profile.
    public init() {}

    func add(_ part: String, _ operation: Operation, _ elapsed: Double) {
        seconds[Key(part: part, operation: operation), default: 0] += elapsed
    }

    func finishPass() { passes += 1 }

    /// The parts in network order, as recorded.
    public var parts: [String] {
        let names = Set(seconds.keys.map(\.part))
        let stages = names.filter { $0.hasPrefix("stage ") }.sorted { $0.count == $1.count ? $0 < $1 : $0.count < $1.count }
        return (names.contains("layout") ? ["layout"] : []) + (names.contains("stem") ? ["stem"] : []) + stages
            + (names.contains("head") ? ["head"] : [])
    }
}

/// Times the operations of one forward pass into an optional profile.
struct PassTimer {
    let profile: InferenceProfile?

    /// Runs `body`, adding its wall time to `part`/`operation` when profiling.
    @inline(__always)
    func time<R>(_ part: @autoclosure () -> String, _ operation: InferenceProfile.Operation, _ body: () throws -> R) rethrows -> R {
        guard let profile else { return try body() }
        let start = DispatchTime.now().uptimeNanoseconds
        let result = try body()
        profile.add(part(), operation, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        return result
    }
}
