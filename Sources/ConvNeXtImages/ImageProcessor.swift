import ConvNeXtKernels

/// transformers' `ConvNextImageProcessor` (the Pillow backend, `ConvNextImageProcessorPil`,
/// of transformers 5.23): RGB images in, `pixel_values` tensors out, matching it to the bit.
///
/// The steps: resize (below 384: short side to `Int(shortest_edge / crop_pct)` keeping the
/// aspect ratio, then center-crop a `shortest_edge` square; from 384: warp to a square) with
/// Pillow's resampling on 8-bit pixels; the optional extra center crop; then per channel
/// `Float(Double(v) * rescale_factor)` (rescaled in double, stored as float, as numpy does)
/// and `(x - mean) / std` in float. Those two steps depend only on the byte and the channel,
/// so they are tabulated. A value type: one processor can serve many tasks at once.
public struct ImageProcessor: Sendable {
    /// The validated configuration.
    public let configuration: ImageProcessorConfiguration
    /// 3 x 256 output values: channel c, byte v at `c * 256 + v`.
    private let table: [Float]

    /// A processor for `configuration`, which is validated first.
    ///
    /// - Throws: ``ImageProcessorError`` if the configuration is invalid.
    public init(configuration: ImageProcessorConfiguration = .hubDefault) throws(ImageProcessorError) {
        try configuration.validate()
        self.configuration = configuration
        var table = [Float](repeating: 0, count: 3 * 256)
        for channel in 0..<3 {
            for value in 0..<256 {
                var x = configuration.doRescale ? Float(Double(value) * configuration.rescaleFactor) : Float(value)
                if configuration.doNormalize {
                    x = (x - Float(configuration.imageMean[channel])) / Float(configuration.imageStd[channel])
                }
                table[channel * 256 + value] = x
            }
        }
        self.table = table
    }

    /// The image after the resize and crops, before rescaling: 8-bit pixels of the output size.
    ///
    /// - Throws: ``ImageProcessorError/emptyImage`` for an image without pixels.
    public func resizedAndCropped(_ image: RGBImage) throws(ImageProcessorError) -> RGBImage {
        guard image.width > 0 && image.height > 0 else { throw .emptyImage }
        var image = image
        if configuration.doResize, let shortestEdge = configuration.shortestEdge {
            if shortestEdge < 384 {
                let short = Int(Double(shortestEdge) / configuration.cropPercentage)
                let size = Self.resizedSize(width: image.width, height: image.height, shortEdge: short)
                image = image.resized(width: size.width, height: size.height, filter: configuration.resample)
                image = image.centerCropped(height: shortestEdge, width: shortestEdge)
            } else {
                image = image.resized(width: shortestEdge, height: shortestEdge, filter: configuration.resample)
            }
        }
        if configuration.doCenterCrop, let crop = configuration.cropSize {
            image = image.centerCropped(height: crop.height, width: crop.width)
        }
        return image
    }

    /// The `pixel_values` of one image: a `[1, 3, height, width]` tensor (channels first).
    ///
    /// - Throws: ``ImageProcessorError/emptyImage`` for an image without pixels.
    public func pixelValues(for image: RGBImage) throws(ImageProcessorError) -> Tensor {
        let prepared = try resizedAndCropped(image)
        return Tensor(shape: [1, 3, prepared.height, prepared.width]) { output in
            write(prepared, into: output)
        }
    }

    /// The `pixel_values` of a batch: a `[N, 3, height, width]` tensor, images in order.
    ///
    /// - Throws: ``ImageProcessorError/emptyBatch`` for no images,
    ///   ``ImageProcessorError/mismatchedBatch(first:other:)`` if the processed sizes differ
    ///   (only possible with resizing off), ``ImageProcessorError/emptyImage``.
    public func pixelValues(for images: [RGBImage]) throws(ImageProcessorError) -> Tensor {
        guard !images.isEmpty else { throw .emptyBatch }
        var prepared: [RGBImage] = []
        prepared.reserveCapacity(images.count)
        for image in images {
            let next = try resizedAndCropped(image)
            if let first = prepared.first, first.width != next.width || first.height != next.height {
                throw .mismatchedBatch(first: [3, first.height, first.width], other: [3, next.height, next.width])
            }
            prepared.append(next)
        }
        let height = prepared[0].height, width = prepared[0].width
        let imageCount = 3 * height * width
        return Tensor(shape: [prepared.count, 3, height, width]) { output in
            for (index, image) in prepared.enumerated() {
                write(image, into: UnsafeMutableBufferPointer(rebasing: output[(index * imageCount)..<((index + 1) * imageCount)]))
            }
        }
    }

    /// transformers' `get_resize_output_image_size(default_to_square=False)`: the short side
    /// becomes `shortEdge`, the long side `int(shortEdge * long / short)` (truncated).
    static func resizedSize(width: Int, height: Int, shortEdge: Int) -> (width: Int, height: Int) {
        let (short, long) = width <= height ? (width, height) : (height, width)
        let newLong = Int(Double(shortEdge * long) / Double(short))
        return width <= height ? (shortEdge, newLong) : (newLong, shortEdge)
    }

    /// Writes `image` channels-first through the value table.
    private func write(_ image: RGBImage, into output: UnsafeMutableBufferPointer<Float>) {
        let count = image.width * image.height
        guard let out = output.baseAddress, count > 0 else { return }
        table.withUnsafeBufferPointer { tableBuffer in
            image.pixels.withUnsafeBufferPointer { pixelBuffer in
                guard let lut = tableBuffer.baseAddress, let pixels = pixelBuffer.baseAddress else { return }
                for channel in 0..<3 {
                    let plane = out + channel &* count
                    let channelTable = lut + channel &* 256
                    for index in 0..<count {
                        plane[index] = channelTable[Int(pixels[index &* 3 &+ channel])]
                    }
                }
            }
        }
    }
}
