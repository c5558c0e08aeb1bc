/// The fixed-point weights of one axis of a resize: Pillow's `precompute_coeffs` followed by
/// `normalize_coeffs_8bpc`.
///
/// Each output index `i` reads `counts[i]` consecutive inputs from `starts[i]`, weighted by
/// `weights[i * kernelSize ..< i * kernelSize + counts[i]]`. The support widens by the
/// downscale factor (antialiasing), the double weights are normalised to sum to 1 and then
/// rounded to ``precisionBits`` fractional bits, away from zero, as Pillow does.
struct ResampleCoefficients {
    /// Pillow's PRECISION_BITS: 32 bits less 8 for the pixel and 2 for overshoot.
    static let precisionBits = 32 - 8 - 2

    let kernelSize: Int
    var starts: [Int]
    let counts: [Int]
    let weights: [Int32]

    /// Weights mapping the input span `[lower, upper)` (the resize box, in Pillow's single
    /// precision) of an axis of `inputSize` samples onto `outputSize` samples.
    init(inputSize: Int, lower: Float = 0, upper: Float, outputSize: Int, filter: ResamplingFilter) {
        let scale = Double(upper - lower) / Double(outputSize)
        let filterScale = max(scale, 1)
        let support = filter.support * filterScale
        let kernelSize = Int(support.rounded(.up)) * 2 + 1
        let inverseFilterScale = 1 / filterScale
        let oneFixed = Double(1 << Self.precisionBits)

        var starts = [Int](repeating: 0, count: outputSize)
        var counts = [Int](repeating: 0, count: outputSize)
        var weights = [Int32](repeating: 0, count: outputSize * kernelSize)
        var kernel = [Double](repeating: 0, count: kernelSize)
        for output in 0..<outputSize {
            let center = Double(lower) + (Double(output) + 0.5) * scale
            // C's (int) conversions truncate toward zero, as Swift's Int(_:) does.
            let start = max(Int(center - support + 0.5), 0)
            let count = min(Int(center + support + 0.5), inputSize) - start
            var total = 0.0
            for k in 0..<max(count, 0) {
                let w = filter.weight((Double(k + start) - center + 0.5) * inverseFilterScale)
                kernel[k] = w
                total += w
            }
            for k in 0..<max(count, 0) {
                let w = total != 0 ? kernel[k] / total : kernel[k]
                weights[output * kernelSize + k] = Int32(w < 0 ? -0.5 + w * oneFixed : 0.5 + w * oneFixed)
            }
            starts[output] = start
            counts[output] = max(count, 0)
        }
        self.kernelSize = kernelSize
        self.starts = starts
        self.counts = counts
        self.weights = weights
    }

    /// The first input index any output reads.
    var firstInput: Int { starts.first ?? 0 }

    /// One past the last input index any output reads.
    var endInput: Int { (starts.last ?? 0) + (counts.last ?? 0) }
}
