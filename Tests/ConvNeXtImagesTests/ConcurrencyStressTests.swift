import ConvNeXt
import ConvNeXtImages
import Foundation
import Testing

/// One loaded classifier shared by many concurrent tasks: every task's result must equal the
/// sequential one bit for bit, and repeated rounds must not grow memory (plans are pooled).
@Suite struct ConcurrencyStressTests {
    static let taskCount = 32

    /// 32 different images: fixture photos at several crops and sizes.
    static func images() throws -> [RGBImage] {
        let sources = try ["chelsea_422.jpg", "coffee_cmyk.jpg", "rocket_tiny.png", "coffee_gray.jpg"].map { try RGBImage(contentsOf: fixtureURL($0)) }
        return (0..<taskCount).map { index in
            let source = sources[index % sources.count]
            let variant = index / sources.count
            let width = max(8, source.width - 5 * variant), height = max(8, source.height - 3 * variant)
            var pixels = [UInt8](repeating: 0, count: width * height * 3)
            for y in 0..<height {
                for x in 0..<width {
                    let from = ((y + variant) % source.height * source.width + (x + 2 * variant) % source.width) * 3
                    for channel in 0..<3 { pixels[(y * width + x) * 3 + channel] = source.pixels[from + channel] }
                }
            }
            return RGBImage(width: width, height: height, pixels: pixels)
        }
    }

    /// Resident memory of this process in bytes (Linux), or nil.
    static func residentBytes() -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return nil }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return nil }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    @Test func concurrentTasksMatchSequentialResults() async throws {
        // The fixture model with 64-pixel inputs: the test is about sharing, and it also runs
        // under the thread sanitizer.
        let folder = imageFixtures.deletingLastPathComponent().appendingPathComponent("pipeline/model")
        let model = try ModelFolder(folder).loadModel(pool: WorkerPool(threadCount: 2))
        var preprocessing = try ImageProcessorConfiguration(contentsOf: folder.appendingPathComponent("preprocessor_config.json"))
        preprocessing.shortestEdge = 64
        let classifier = ImageClassifier(model: model, processor: try ImageProcessor(configuration: preprocessing))
        let images = try Self.images()
        let sequential = try images.map { try classifier.classify([$0], topK: 5)[0] }
        #expect(Set(sequential.map { $0.map(\.score) }).count > 1, "the images should not all score alike")
        var residentAfterFirstRound: Int?
        for round in 0..<3 {
            let concurrent = try await withThrowingTaskGroup(of: (Int, [Prediction]).self) { group in
                for index in images.indices {
                    group.addTask { (index, try classifier.classify([images[index]], topK: 5)[0]) }
                }
                var results = [[Prediction]](repeating: [], count: images.count)
                for try await (index, predictions) in group { results[index] = predictions }
                return results
            }
            for index in images.indices {
                #expect(concurrent[index] == sequential[index], "round \(round), image \(index)")
            }
            if round == 0 { residentAfterFirstRound = Self.residentBytes() }
        }
        if let first = residentAfterFirstRound, let last = Self.residentBytes() {
            #expect(last - first < 64 << 20, "resident memory grew by \((last - first) >> 20) MB over two rounds")
        }
    }
}
