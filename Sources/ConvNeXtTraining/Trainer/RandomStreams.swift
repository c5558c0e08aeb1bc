import ConvNeXt

/// Independent random streams derived from a run's seed, so that every random decision of a
/// training run depends only on (seed, purpose, position) and never on what ran before it:
/// resuming at an epoch boundary replays exactly the draws an uninterrupted run makes.
enum RandomStreams {
    /// What a stream is used for; distinct purposes never share a stream.
    enum Purpose: UInt64 {
        /// Mixup/CutMix and stochastic depth of one optimizer step's micro-batch.
        case trainingStep = 1
        /// A freshly initialized classifier head.
        case headInitialization = 2
        /// Freshly initialized model parameters.
        case modelInitialization = 3
    }

    /// A generator for `purpose` at `position` (a step or micro-batch index) of a run seeded `seed`.
    static func generator(seed: UInt64, purpose: Purpose, position: UInt64 = 0) -> SeededGenerator {
        SeededGenerator(seed: mix(mix(seed, purpose.rawValue), position))
    }

    /// SplitMix64's finalizer over `a` combined with `b`: a well-spread 64-bit hash.
    static func mix(_ a: UInt64, _ b: UInt64) -> UInt64 {
        var z = a &+ 0x9E37_79B9_7F4A_7C15 &* (b &+ 1)
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
