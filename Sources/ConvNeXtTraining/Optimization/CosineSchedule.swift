import Foundation

/// A per-iteration cosine schedule after a linear warm-up, the original repository's
/// `cosine_scheduler(base_value, final_value, epochs, niter_per_ep, warmup_epochs,
/// start_warmup_value, warmup_steps)`.
///
/// Warm-up iteration `i < W` is `linspace(startWarmupValue, baseValue, W)[i]` (so the last
/// warm-up iteration already reaches `baseValue`); iteration `W + i` of the remaining
/// `L = totalIterations − W` is `finalValue + ½(baseValue − finalValue)(1 + cos(π·i / L))`.
/// Iterations past the end keep the last value.
public struct CosineSchedule: Schedule, Equatable {
    /// The value after warm-up.
    public let baseValue: Double
    /// The value the cosine approaches at the end.
    public let finalValue: Double
    /// The schedule's length (`epochs · niter_per_ep`).
    public let totalIterations: Int
    /// The number of warm-up iterations.
    public let warmupIterations: Int
    /// The first warm-up value.
    public let startWarmupValue: Double

    /// A schedule of `totalIterations` iterations, the first `warmupIterations` warming up.
    public init(baseValue: Double, finalValue: Double, totalIterations: Int, warmupIterations: Int = 0, startWarmupValue: Double = 0) {
        precondition(totalIterations > 0 && (0...totalIterations).contains(warmupIterations),
                     "a cosine schedule needs 0 <= warm-up (\(warmupIterations)) <= total (\(totalIterations)) and total > 0")
        self.baseValue = baseValue
        self.finalValue = finalValue
        self.totalIterations = totalIterations
        self.warmupIterations = warmupIterations
        self.startWarmupValue = startWarmupValue
    }

    /// The original's arguments: `epochs · iterationsPerEpoch` iterations, warm-up over
    /// `warmupEpochs · iterationsPerEpoch` of them, or `warmupSteps` when positive.
    public init(baseValue: Double, finalValue: Double, epochs: Int, iterationsPerEpoch: Int,
                warmupEpochs: Int = 0, startWarmupValue: Double = 0, warmupSteps: Int = -1) {
        self.init(baseValue: baseValue, finalValue: finalValue, totalIterations: epochs * iterationsPerEpoch,
                  warmupIterations: warmupSteps > 0 ? warmupSteps : warmupEpochs * iterationsPerEpoch,
                  startWarmupValue: startWarmupValue)
    }

    /// The original's weight-decay schedule: cosine from `start` to `end` with no warm-up
    /// (`cosine_scheduler(weight_decay, weight_decay_end, epochs, niter_per_ep)`).
    public static func weightDecay(start: Double, end: Double, epochs: Int, iterationsPerEpoch: Int) -> CosineSchedule {
        CosineSchedule(baseValue: start, finalValue: end, epochs: epochs, iterationsPerEpoch: iterationsPerEpoch)
    }

    public func value(at iteration: Int) -> Double {
        precondition(iteration >= 0, "negative iteration \(iteration)")
        let i = min(iteration, totalIterations - 1)
        if i < warmupIterations {
            guard warmupIterations > 1, i < warmupIterations - 1 else { return i == 0 ? startWarmupValue : baseValue }
            return startWarmupValue + Double(i) * (baseValue - startWarmupValue) / Double(warmupIterations - 1)
        }
        let length = Double(totalIterations - warmupIterations)
        return finalValue + 0.5 * (baseValue - finalValue) * (1 + cos(Double.pi * Double(i - warmupIterations) / length))
    }

    /// Every value, one per iteration (the original's array).
    public var values: [Double] { (0..<totalIterations).map(value(at:)) }
}
