import ConvNeXtImages
import ConvNeXtKernels
import Foundation
import Testing

/// `ImageProcessor` equals transformers' `ConvNextImageProcessorPil` (5.23).
@Suite struct ProcessorParityTests {
    static let cases = FixtureManifest.shared.processor

    static func processor(_ json: String) throws -> ImageProcessor {
        try ImageProcessor(configuration: ImageProcessorConfiguration(jsonData: Data(json.utf8)))
    }

    @Test(arguments: cases.indices)
    func outputEqualsTransformers(_ index: Int) throws {
        let entry = Self.cases[index]
        let image = try decodeFixture(entry.file)
        let output = try Self.processor(entry.config).pixelValues(for: image)
        #expect(output.shape == entry.shape, "\(entry.label) \(entry.file)")
        if let name = entry.expected {
            let expected = try Fixtures.processed.tensor(name)
            #expect(expected.shape == output.shape)
            let difference = zip(output.scalars, expected.scalars).map { abs($0 - $1) }.max() ?? 0
            #expect(difference <= 1e-6, "\(entry.label) \(entry.file): max difference \(difference)")
        }
        // The float32 bytes are bit-identical to transformers' output.
        #expect(fnv1a64(output) == entry.digest, "\(entry.label) \(entry.file)")
    }

    /// Rescale then normalize, for every byte value and channel, equals transformers bit for bit.
    @Test func everyByteValueMapsLikeTransformers() throws {
        let ramp = FixtureManifest.shared.ramp
        let pixels = (0..<(16 * 16 * 3)).map { UInt8($0 % 256) }
        let output = try Self.processor(ramp.config).pixelValues(for: RGBImage(width: 16, height: 16, pixels: pixels))
        let expected = try Fixtures.processed.tensor(ramp.expected)
        #expect(output.shape == [1, 3, 16, 16])
        #expect(output.scalars == expected.scalars)
    }

    @Test func batchStacksSingleOutputs() throws {
        let processor = try ImageProcessor(configuration: .hubDefault)
        let images = try ["large.jpg", "rocket_tiny.png", "chelsea_422.jpg"].map(decodeFixture)
        let batch = try processor.pixelValues(for: images)
        #expect(batch.shape == [3, 3, 224, 224])
        var stacked: [Float] = []
        for image in images { stacked += try processor.pixelValues(for: image).scalars }
        #expect(batch.scalars == stacked)
    }

    @Test func batchOfDifferentSizesWithoutResizeIsAnError() throws {
        var configuration = ImageProcessorConfiguration.hubDefault
        configuration.doResize = false
        let processor = try ImageProcessor(configuration: configuration)
        let images = try ["rocket_tiny.png", "astronaut.png"].map(decodeFixture)
        #expect(throws: ImageProcessorError.mismatchedBatch(first: [3, 17, 30], other: [3, 96, 128])) {
            try processor.pixelValues(for: images)
        }
        #expect(throws: ImageProcessorError.emptyBatch) { try processor.pixelValues(for: []) }
    }

    @Test func concurrentPreprocessingAgrees() async throws {
        let processor = try ImageProcessor(configuration: .hubDefault)
        let reference = try processor.pixelValues(for: try decodeFixture("astronaut_baseline.jpg"))
        let outputs = try await withThrowingTaskGroup(of: Tensor.self) { group in
            for _ in 0..<8 {
                group.addTask { try processor.pixelValues(for: try decodeFixture("astronaut_baseline.jpg")) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(outputs.allSatisfy { $0 == reference })
    }

    @Test func resizeTargetFollowsTransformersRounding() throws {
        let processor = try ImageProcessor(configuration: .hubDefault)
        // 30x17 landscape: short side 256, long side int(256 * 30 / 17) = 451, then a 224 crop.
        let prepared = try processor.resizedAndCropped(try decodeFixture("rocket_tiny.png"))
        #expect(prepared.width == 224 && prepared.height == 224)
        let large = try decodeFixture("large.jpg")
        var configuration = ImageProcessorConfiguration.hubDefault
        configuration.shortestEdge = 384
        let warped = try ImageProcessor(configuration: configuration).resizedAndCropped(large)
        #expect(warped.width == 384 && warped.height == 384)
    }
}
