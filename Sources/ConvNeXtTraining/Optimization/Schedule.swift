/// A hyper-parameter (learning rate, weight decay) as a function of the iteration.
public protocol Schedule: Sendable {
    /// The value at iteration `iteration` (0-based, counted over all epochs).
    func value(at iteration: Int) -> Double
}

/// The same value at every iteration.
public struct ConstantSchedule: Schedule, Equatable {
    /// The value.
    public let value: Double

    /// A schedule that is always `value`.
    public init(_ value: Double) { self.value = value }

    public func value(at iteration: Int) -> Double { value }
}
