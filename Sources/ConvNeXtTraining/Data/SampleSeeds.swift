import ConvNeXt

/// Seeds derived from a run's seed, so that every random decision of the data pipeline
/// (an epoch's order, one sample's augmentation, a split) has its own independent stream that
/// depends only on what it is for, never on threads or timing.
///
/// Mixing is SplitMix64's finalizer applied in a chain: `h = mix(h ^ value)` for each value
/// after a per-purpose tag, so (seed, epoch, position) and (seed, position, epoch) differ.
public enum SampleSeeds {
    /// Purpose tags keep the streams of different uses apart.
    enum Purpose: UInt64 {
        case epochOrder = 0x6F72_6465_72
        case sample = 0x7361_6D70_6C65
        case split = 0x7370_6C69_74
    }

    /// SplitMix64's output function: a bijective 64-bit mix.
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// The seed for `purpose` and `values`, mixed in order.
    static func seed(_ purpose: Purpose, _ values: UInt64...) -> UInt64 {
        var h = mix(purpose.rawValue)
        for value in values { h = mix(h ^ value) }
        return h
    }

    /// The generator shuffling epoch `epoch` of a run seeded `seed`.
    public static func epochOrderGenerator(seed: UInt64, epoch: Int) -> SeededGenerator {
        SeededGenerator(seed: Self.seed(.epochOrder, seed, UInt64(truncatingIfNeeded: epoch)))
    }

    /// The generator augmenting the sample at `position` of epoch `epoch`'s order.
    public static func sampleGenerator(seed: UInt64, epoch: Int, position: Int) -> SeededGenerator {
        SeededGenerator(seed: Self.seed(.sample, seed, UInt64(truncatingIfNeeded: epoch), UInt64(truncatingIfNeeded: position)))
    }

    /// A uniform integer in `0..<bound` by Lemire's multiply-and-reject method, written out
    /// (rather than `Int.random(in:)`) so orders do not depend on the standard library's choice.
    static func uniform(below bound: Int, using generator: inout SeededGenerator) -> Int {
        precondition(bound > 0)
        let range = UInt64(bound)
        var product = generator.next().multipliedFullWidth(by: range)
        if product.low < range {
            let threshold = (0 &- range) % range
            while product.low < threshold { product = generator.next().multipliedFullWidth(by: range) }
        }
        return Int(product.high)
    }

    /// Fisher–Yates shuffle of `0..<count` (the same as Python's `random.shuffle` walk:
    /// from the end, swap `i` with a uniform `j <= i`).
    static func permutation(count: Int, using generator: inout SeededGenerator) -> [Int] {
        var order = Array(0..<count)
        var i = count - 1
        while i > 0 {
            let j = uniform(below: i + 1, using: &generator)
            order.swapAt(i, j)
            i -= 1
        }
        return order
    }
}
