import ConvNeXt
import ConvNeXtImages
import ConvNeXtTraining
import Foundation
import Testing

@Suite struct DataTransformTests {
    @Test func normalizesLikeToTensorThenNormalize() throws {
        let image = randomImage(width: 6, height: 5, seed: 3)
        // A crop of the whole image at its own size, no flip, no augmentation: only scaling.
        let transform = TrainingTransform(crop: RandomResizedCrop(width: 6, height: 5, scale: 1...1, ratio: 1.2...1.2),
                                          flip: RandomHorizontalFlip(probability: 0), randAugment: nil, colorJitter: nil,
                                          randomErasing: nil, mean: [0.5, 0.25, 0], std: [0.5, 2, 1])
        var generator = SeededGenerator(seed: 1)
        let values = try transform.pixels(for: image, using: &generator)
        #expect(values.count == 6 * 5 * 3)
        let mean: [Float] = [0.5, 0.25, 0], std: [Float] = [0.5, 2, 1]
        for (index, byte) in image.pixels.enumerated() {
            let channel = index % 3
            #expect(values[index] == (Float(byte) / 255 - mean[channel]) / std[channel])
        }
    }

    @Test func erasingMatchesTheChannelsFirstImplementation() throws {
        let image = randomImage(width: 9, height: 9, seed: 4)
        let erasing = RandomErasing(probability: 1)
        let base = TrainingTransform(size: 9, randAugment: nil, randomErasing: nil)
        var erased = base
        erased.randomErasing = erasing
        var g1 = SeededGenerator(seed: 9), g2 = SeededGenerator(seed: 9)
        let plain = try base.pixels(for: image, using: &g1)
        let withErasing = try erased.pixels(for: image, using: &g2)
        #expect(plain != withErasing)
        // Erase the channels-first layout of `plain` with the generator state after the same draws.
        var tensor = Tensor(shape: [3, 9, 9]) { out in
            for index in 0..<81 { for c in 0..<3 { out[c * 81 + index] = plain[index * 3 + c] } }
        }
        erasing.apply(to: &tensor, using: &g1)
        let reference = tensor.scalars
        for index in 0..<81 { for c in 0..<3 { #expect(withErasing[index * 3 + c] == reference[c * 81 + index]) } }
    }

    @Test func recipeTransformIsDeterministicPerGenerator() throws {
        let image = randomImage(width: 40, height: 30, seed: 5)
        let transform = TrainingTransform(size: 16)
        #expect(transform.outputHeight == 16 && transform.outputWidth == 16)
        var a = SeededGenerator(seed: 2), b = SeededGenerator(seed: 2), c = SeededGenerator(seed: 3)
        let first = try transform.pixels(for: image, using: &a)
        #expect(first.count == 16 * 16 * 3)
        #expect(try transform.pixels(for: image, using: &b) == first)
        #expect(try transform.pixels(for: image, using: &c) != first)
        #expect(first.allSatisfy { $0.isFinite })
        var g = SeededGenerator(seed: 0)
        #expect(throws: ImageProcessorError.emptyImage) {
            try transform.pixels(for: RGBImage(width: 0, height: 0, pixels: []), using: &g)
        }
    }

    @Test func evaluationTransformNeedsAFixedSize() throws {
        var configuration = ImageProcessorConfiguration.hubDefault
        configuration.doResize = false
        configuration.doCenterCrop = false
        let processor = try ImageProcessor(configuration: configuration)
        #expect(throws: TrainingDataError.variableOutputSize) { try EvaluationTransform(processor: processor) }
        let standard = try EvaluationTransform(processor: ImageProcessor())
        #expect(standard.outputHeight == 224 && standard.outputWidth == 224)
    }
}
