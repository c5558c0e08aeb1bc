/// The two 8-bit convolution passes of Pillow's `ImagingResample` over interleaved RGB rows.
///
/// Each output sample starts at half a unit (rounding), accumulates input * fixed-point weight
/// in 32-bit integers, and is shifted and clipped back to a byte: the intermediate image
/// between the passes is 8-bit, exactly as in Pillow.
enum ResamplePasses {
    private static let shift = ResampleCoefficients.precisionBits
    private static let half: Int32 = 1 << (ResampleCoefficients.precisionBits - 1)

    @inline(__always)
    private static func clip8(_ value: Int32) -> UInt8 {
        let shifted = value >> Int32(shift)
        return UInt8(truncatingIfNeeded: shifted < 0 ? 0 : shifted > 255 ? 255 : shifted)
    }

    /// Resamples rows `firstRow ..< firstRow + rows` of `input` (`inputWidth` pixels each)
    /// horizontally into `rows` rows of `coefficients.counts.count` pixels.
    static func horizontal(
        _ input: UnsafePointer<UInt8>, inputWidth: Int, firstRow: Int, rows: Int,
        coefficients: ResampleCoefficients, into output: UnsafeMutablePointer<UInt8>
    ) {
        let outputWidth = coefficients.counts.count
        let kernelSize = coefficients.kernelSize
        coefficients.weights.withUnsafeBufferPointer { weightBuffer in
            coefficients.starts.withUnsafeBufferPointer { starts in
                coefficients.counts.withUnsafeBufferPointer { counts in
                    guard let weights = weightBuffer.baseAddress else { return }
                    for row in 0..<rows {
                        let lineIn = input + (firstRow &+ row) &* inputWidth &* 3
                        let lineOut = output + row &* outputWidth &* 3
                        for x in 0..<outputWidth {
                            let source = lineIn + starts[x] &* 3
                            let kernel = weights + x &* kernelSize
                            var red = half, green = half, blue = half
                            for k in 0..<counts[x] {
                                let w = kernel[k]
                                red = red &+ Int32(source[k &* 3]) &* w
                                green = green &+ Int32(source[k &* 3 &+ 1]) &* w
                                blue = blue &+ Int32(source[k &* 3 &+ 2]) &* w
                            }
                            lineOut[x &* 3] = clip8(red)
                            lineOut[x &* 3 &+ 1] = clip8(green)
                            lineOut[x &* 3 &+ 2] = clip8(blue)
                        }
                    }
                }
            }
        }
    }

    /// Resamples `input` (`width` pixels per row) vertically into `coefficients.counts.count`
    /// rows; `coefficients.starts` index rows of `input`.
    static func vertical(
        _ input: UnsafePointer<UInt8>, width: Int,
        coefficients: ResampleCoefficients, into output: UnsafeMutablePointer<UInt8>
    ) {
        let rowBytes = width &* 3
        let kernelSize = coefficients.kernelSize
        // One accumulator per byte of the row; the sum's order does not change integer results.
        let accumulators = UnsafeMutablePointer<Int32>.allocate(capacity: max(rowBytes, 1))
        defer { accumulators.deallocate() }
        coefficients.weights.withUnsafeBufferPointer { weightBuffer in
            guard let weights = weightBuffer.baseAddress else { return }
            for row in 0..<coefficients.counts.count {
                let start = coefficients.starts[row], count = coefficients.counts[row]
                let kernel = weights + row &* kernelSize
                accumulators.initialize(repeating: half, count: rowBytes)
                for k in 0..<count {
                    let w = kernel[k]
                    let lineIn = input + (start &+ k) &* rowBytes
                    for i in 0..<rowBytes {
                        accumulators[i] = accumulators[i] &+ Int32(lineIn[i]) &* w
                    }
                }
                let lineOut = output + row &* rowBytes
                for i in 0..<rowBytes { lineOut[i] = clip8(accumulators[i]) }
            }
        }
    }
}
