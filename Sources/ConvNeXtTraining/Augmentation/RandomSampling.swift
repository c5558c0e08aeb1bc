import Foundation

/// The random draws the augmentations make, each matching the Python call timm makes (the
/// distributions, not the bit streams: Python's and NumPy's generators are not reproduced).
enum RandomSampling {
    /// `random.uniform(low, high)`: `low + (high − low)·U[0, 1)`.
    static func uniform(_ low: Double, _ high: Double, using generator: inout some RandomNumberGenerator) -> Double {
        low + (high - low) * Double.random(in: 0..<1, using: &generator)
    }

    /// `random.randint(low, high)`: an integer in the closed range `low...high`.
    static func integer(_ low: Int, through high: Int, using generator: inout some RandomNumberGenerator) -> Int {
        Int.random(in: low...high, using: &generator)
    }

    /// `random.random() < probability`.
    static func bernoulli(_ probability: Double, using generator: inout some RandomNumberGenerator) -> Bool {
        Double.random(in: 0..<1, using: &generator) < probability
    }

    /// A standard normal sample (Box–Muller).
    static func gaussian(using generator: inout some RandomNumberGenerator) -> Double {
        let u1 = Double.random(in: Double.leastNonzeroMagnitude..<1, using: &generator)
        let u2 = Double.random(in: 0..<1, using: &generator)
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// A Gamma(`shape`, 1) sample by Marsaglia and Tsang's method; shapes below 1 use the
    /// boost `Gamma(a) = Gamma(a + 1)·U^(1/a)`.
    static func gamma(shape: Double, using generator: inout some RandomNumberGenerator) -> Double {
        precondition(shape > 0, "gamma shape must be positive, got \(shape)")
        if shape < 1 {
            let u = Double.random(in: Double.leastNonzeroMagnitude..<1, using: &generator)
            return gamma(shape: shape + 1, using: &generator) * pow(u, 1 / shape)
        }
        let d = shape - 1.0 / 3.0
        let c = 1 / (9 * d).squareRoot()
        while true {
            var x = 0.0
            var v = 0.0
            repeat {
                x = gaussian(using: &generator)
                v = 1 + c * x
            } while v <= 0
            v = v * v * v
            let u = Double.random(in: Double.leastNonzeroMagnitude..<1, using: &generator)
            if u < 1 - 0.0331 * x * x * x * x { return d * v }
            if log(u) < 0.5 * x * x + d * (1 - v + log(v)) { return d * v }
        }
    }

    /// A Beta(`alpha`, `beta`) sample: `X / (X + Y)` with `X ~ Gamma(alpha)`, `Y ~ Gamma(beta)`.
    static func beta(_ alpha: Double, _ beta: Double, using generator: inout some RandomNumberGenerator) -> Double {
        let x = gamma(shape: alpha, using: &generator)
        let y = gamma(shape: beta, using: &generator)
        let sum = x + y
        return sum > 0 ? x / sum : 0.5
    }

    /// Python's `round` on a float: to nearest, ties to even.
    static func pythonRound(_ value: Double) -> Int {
        Int(value.rounded(.toNearestOrEven))
    }
}
