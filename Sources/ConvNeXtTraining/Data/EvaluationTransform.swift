import ConvNeXtImages
import ConvNeXtKernels

/// The evaluation transform: transformers' `ConvNextImageProcessor` (resize, center crop,
/// rescale, normalize, as ``ConvNeXtImages/ImageProcessor`` computes it to the bit), laid out
/// channels-last (`[height, width, 3]`) like ``TrainingTransform``'s output. Deterministic:
/// the generator is unused.
public struct EvaluationTransform: SampleTransform {
    /// The processor applied.
    public let processor: ImageProcessor
    /// Output rows.
    public let outputHeight: Int
    /// Output columns.
    public let outputWidth: Int

    /// A transform using `processor`, whose configuration must fix the output size (resize
    /// with `shortest_edge`, or a center crop).
    ///
    /// - Throws: ``TrainingDataError/variableOutputSize`` when the output size would depend
    ///   on the input image.
    public init(processor: ImageProcessor) throws {
        let configuration = processor.configuration
        // The size of a 1x1 image's output is the size of any image's output when resizing is
        // on; without resizing and cropping it varies, which a batch cannot hold.
        guard (configuration.doResize && configuration.shortestEdge != nil)
            || (configuration.doCenterCrop && configuration.cropSize != nil) else {
            throw TrainingDataError.variableOutputSize
        }
        let probe = try processor.resizedAndCropped(RGBImage(width: 1, height: 1, pixels: [0, 0, 0]))
        self.processor = processor
        self.outputHeight = probe.height
        self.outputWidth = probe.width
    }

    /// The processed pixels of `image`, channels-last.
    ///
    /// - Throws: ``ConvNeXtImages/ImageProcessorError/emptyImage`` for an image without pixels.
    public func pixels(for image: RGBImage, using generator: inout some RandomNumberGenerator) throws -> [Float] {
        try pixels(for: image)
    }

    /// The processed pixels of `image`, channels-last (no randomness involved).
    public func pixels(for image: RGBImage) throws -> [Float] {
        let planar = try processor.pixelValues(for: image)
        let height = planar.shape[2], width = planar.shape[3]
        let plane = height * width
        var output = [Float](repeating: 0, count: plane * 3)
        planar.withUnsafeBufferPointer { input in
            for index in 0..<plane {
                output[index * 3] = input[index]
                output[index * 3 + 1] = input[plane + index]
                output[index * 3 + 2] = input[2 * plane + index]
            }
        }
        return output
    }
}
