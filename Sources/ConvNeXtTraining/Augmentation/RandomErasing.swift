import ConvNeXtKernels
import Foundation

/// timm's `RandomErasing` in "pixel" mode with one region (`re_count=1`): with probability
/// ``probability``, up to ten attempts draw an area fraction uniformly from ``scale`` and an
/// aspect ratio log-uniformly from ``ratio``; the first region strictly smaller than the
/// image on both sides is placed uniformly and filled with independent N(0, 1) values per
/// channel and pixel. Works on a normalized `[C, H, W]` image (or each image of `[N, C, H, W]`).
public struct RandomErasing: Sendable, Equatable {
    /// The chance an image is erased (0.25 in the recipe).
    public var probability: Double
    /// The range of the erased area as a fraction of the image's.
    public var scale: ClosedRange<Double>
    /// The range of the erased region's aspect ratio, height / width.
    public var ratio: ClosedRange<Double>

    /// The recipe's settings: probability 0.25, scale 0.02...1/3, ratio 0.3...1/0.3.
    public init(probability: Double = 0.25, scale: ClosedRange<Double> = 0.02...(1.0 / 3.0),
                ratio: ClosedRange<Double> = 0.3...(1 / 0.3)) {
        self.probability = probability
        self.scale = scale
        self.ratio = ratio
    }

    /// The region one call erases from an `height` x `width` image, or nil when it erases
    /// nothing (the probability check failed or no attempt fit).
    public func region(height: Int, width: Int,
                       using generator: inout some RandomNumberGenerator) -> (rows: Range<Int>, columns: Range<Int>)? {
        guard RandomSampling.bernoulli(probability, using: &generator) else { return nil }
        let area = Double(height * width)
        let logRatio = (log(ratio.lowerBound), log(ratio.upperBound))
        for _ in 0..<10 {
            let target = RandomSampling.uniform(scale.lowerBound, scale.upperBound, using: &generator) * area
            let aspect = exp(RandomSampling.uniform(logRatio.0, logRatio.1, using: &generator))
            let h = RandomSampling.pythonRound((target * aspect).squareRoot())
            let w = RandomSampling.pythonRound((target / aspect).squareRoot())
            if w < width && h < height {
                let top = RandomSampling.integer(0, through: height - h, using: &generator)
                let left = RandomSampling.integer(0, through: width - w, using: &generator)
                return (top..<(top + h), left..<(left + w))
            }
        }
        return nil
    }

    /// Erases a random region of each image of `images` (`[C, H, W]` or `[N, C, H, W]`) in
    /// place; returns the regions erased, nil for an image left alone.
    @discardableResult
    public func apply(to images: inout Tensor,
                      using generator: inout some RandomNumberGenerator) -> [(rows: Range<Int>, columns: Range<Int>)?] {
        let shape = images.shape
        precondition(shape.count == 3 || shape.count == 4, "images must be [C, H, W] or [N, C, H, W]")
        let dims = shape.count == 3 ? [1] + shape : shape
        let (n, channels, height, width) = (dims[0], dims[1], dims[2], dims[3])
        var regions: [(rows: Range<Int>, columns: Range<Int>)?] = []
        for sample in 0..<n {
            guard let box = region(height: height, width: width, using: &generator) else {
                regions.append(nil)
                continue
            }
            regions.append(box)
            var noise = [Float]()
            noise.reserveCapacity(channels * box.rows.count * box.columns.count)
            for _ in 0..<(channels * box.rows.count * box.columns.count) {
                noise.append(Float(RandomSampling.gaussian(using: &generator)))
            }
            images.withUnsafeMutableBufferPointer { x in
                var next = 0
                for c in 0..<channels {
                    for row in box.rows {
                        for column in box.columns {
                            x[((sample * channels + c) * height + row) * width + column] = noise[next]
                            next += 1
                        }
                    }
                }
            }
        }
        return regions
    }
}
