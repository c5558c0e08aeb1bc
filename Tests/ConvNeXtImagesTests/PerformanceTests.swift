import ConvNeXtImages
import Foundation
import Testing

/// Decode + preprocess timing of the JPEG named by CONVNEXT_IMAGE_BENCH (skipped otherwise);
/// meaningful in a release build: `CONVNEXT_IMAGE_BENCH=photo.jpg swift test -c release --filter Performance`.
@Suite struct PerformanceTests {
    static let path = ProcessInfo.processInfo.environment["CONVNEXT_IMAGE_BENCH"]

    @Test(.enabled(if: path != nil)) func decodeAndPreprocess() throws {
        let url = URL(fileURLWithPath: try #require(Self.path))
        let data = try Data(contentsOf: url)
        let processor = try ImageProcessor(configuration: .hubDefault)
        var decodeTimes: [Double] = [], processTimes: [Double] = []
        for _ in 0..<50 {
            let start = Date()
            let image = try RGBImage(data: data)
            let decoded = Date()
            _ = try processor.pixelValues(for: image)
            decodeTimes.append(decoded.timeIntervalSince(start))
            processTimes.append(Date().timeIntervalSince(decoded))
        }
        let image = try RGBImage(data: data)
        let median = { (values: [Double]) in values.sorted()[values.count / 2] * 1000 }
        print("\(image.width)x\(image.height): decode \(median(decodeTimes)) ms, preprocess \(median(processTimes)) ms (median of 50)")
    }
}
