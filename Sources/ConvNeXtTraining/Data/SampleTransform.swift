import ConvNeXtImages

/// Turns one decoded image into model input: a channels-last `[height, width, 3]` buffer of
/// normalized floats. ``TrainingTransform`` augments randomly; ``EvaluationTransform`` is
/// deterministic. The data loader calls it from worker threads with a generator seeded per
/// sample, so an implementation must draw randomness only from `generator`.
public protocol SampleTransform: Sendable {
    /// Output rows.
    var outputHeight: Int { get }
    /// Output columns.
    var outputWidth: Int { get }

    /// `outputHeight * outputWidth * 3` floats, row-major, channels interleaved (RGB).
    func pixels(for image: RGBImage, using generator: inout some RandomNumberGenerator) throws -> [Float]
}

/// Per-channel `(byte / 255 − mean) / std` in single precision, as torchvision's
/// `ToTensor` then `Normalize` compute it, tabulated: it depends only on channel and byte.
struct NormalizationTable: Sendable, Equatable {
    /// Channel c, byte v at `c * 256 + v`.
    let values: [Float]

    init(mean: [Float], std: [Float]) {
        precondition(mean.count == 3 && std.count == 3, "mean and std need three channels")
        var values = [Float](repeating: 0, count: 768)
        for channel in 0..<3 {
            for byte in 0..<256 {
                values[channel * 256 + byte] = (Float(byte) / 255 - mean[channel]) / std[channel]
            }
        }
        self.values = values
    }

    /// `image`'s pixels mapped through the table, channels-last.
    func apply(to image: RGBImage) -> [Float] {
        var output = [Float](repeating: 0, count: image.pixels.count)
        values.withUnsafeBufferPointer { table in
            image.pixels.withUnsafeBufferPointer { bytes in
                output.withUnsafeMutableBufferPointer { out in
                    for index in 0..<bytes.count {
                        out[index] = table[(index % 3) &* 256 &+ Int(bytes[index])]
                    }
                }
            }
        }
        return output
    }
}
