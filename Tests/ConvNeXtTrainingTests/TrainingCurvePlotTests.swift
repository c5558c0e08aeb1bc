import ConvNeXt
import ConvNeXtImages
import ConvNeXtTraining
import Foundation
import Testing

@Suite struct TrainingCurvePlotTests {
    static func colors(_ image: RGBImage) -> Set<[UInt8]> {
        Set(stride(from: 0, to: image.pixels.count, by: 3).map { Array(image.pixels[$0..<($0 + 3)]) })
    }

    @Test func pngRoundTripsThroughTheDecoder() throws {
        let folder = try TemporaryFolder()
        for (index, image) in [randomImage(width: 37, height: 23, seed: 1),
                               RGBImage(width: 300, height: 200, pixels: [UInt8](repeating: 200, count: 300 * 200 * 3)),
                               RGBImage(width: 1, height: 1, pixels: [1, 2, 3])].enumerated() {
            let url = folder.url.appendingPathComponent("\(index).png")
            try PNGEncoder.write(image, to: url)
            #expect(try RGBImage(contentsOf: url) == image)
        }
        // Uniform images compress (a 180 KB raster in well under 2 KB).
        let flat = RGBImage(width: 300, height: 200, pixels: [UInt8](repeating: 200, count: 300 * 200 * 3))
        #expect(PNGEncoder.encode(flat).count < 2000)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path).sorted() == ["0.png", "1.png", "2.png"])
    }

    @Test func plotsCurvesToAPNG() throws {
        let records = (1...12).map { epoch in
            EpochRecord(epoch: epoch, trainLoss: 2.5 / Double(epoch), validationLoss: 2.8 / Double(epoch) + 0.1,
                        validationTop1: min(0.95, 0.1 * Double(epoch)), learningRate: 1e-3)
        }
        let image = TrainingCurvePlot.render(epochs: records, width: 900, height: 400)
        let folder = try TemporaryFolder()
        let url = folder.url.appendingPathComponent("curves.png")
        try TrainingCurvePlot.writePNG(image, to: url)
        try TrainingCurvePlot.writePNG(image, to: url)  // replacing an existing file
        let decoded = try RGBImage(contentsOf: url)
        #expect(decoded.width == 900 && decoded.height == 400)
        #expect(decoded == image)
        #expect(decoded[2, 2] == (255, 255, 255))
        let colors = Self.colors(decoded)
        #expect(colors.contains([31, 119, 180]) && colors.contains([255, 127, 14]) && colors.contains([44, 160, 44]))
        #expect(colors.contains([0, 0, 0]))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path) == ["curves.png"])
    }

    @Test func singleEpochAndDegenerateInputsDoNotCrash() {
        let single = TrainingCurvePlot.render(epochs: [EpochRecord(epoch: 1, trainLoss: 0.7, learningRate: 0.1)])
        #expect(Self.colors(single).contains([31, 119, 180]))
        #expect(!Self.colors(single).contains([44, 160, 44]))
        let empty = TrainingCurvePlot.render(epochs: [])
        #expect(empty.width == 1200 && empty.height == 480)
        let broken = [
            EpochRecord(epoch: 0, trainLoss: .nan, validationLoss: .infinity, validationTop1: .nan, learningRate: .nan),
            EpochRecord(epoch: 1, trainLoss: 1e300, validationLoss: -.infinity, validationTop1: 2, learningRate: 0),
            EpochRecord(epoch: 2, trainLoss: 0.5, validationLoss: nil, validationTop1: -1, learningRate: 0),
            EpochRecord(epoch: 2, trainLoss: 0.5, learningRate: 0),
            EpochRecord(epoch: 3, trainLoss: -1e29, validationLoss: 1e29, validationTop1: 1e27, learningRate: 0),
            EpochRecord(epoch: Int.max / 2, trainLoss: 0.1, learningRate: 0),
        ]
        let image = TrainingCurvePlot.render(epochs: broken, width: 200, height: 120)
        #expect(image.width == 200)
        let constant = (0..<3).map { EpochRecord(epoch: $0, trainLoss: 1, validationLoss: 1, validationTop1: 0.5, learningRate: 0) }
        #expect(Self.colors(TrainingCurvePlot.render(epochs: constant)).contains([255, 127, 14]))
    }
}
