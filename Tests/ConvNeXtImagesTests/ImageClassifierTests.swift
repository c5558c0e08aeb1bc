import ConvNeXt
import ConvNeXtImages
import Foundation
import Testing

private let pipelineModel = imageFixtures.deletingLastPathComponent().appendingPathComponent("pipeline/model")

@Suite struct ImageClassifierTests {
    @Test func concurrentTasksGetSequentialResults() async throws {
        let classifier = try ImageClassifier(contentsOf: pipelineModel, pool: WorkerPool(threadCount: 2))
        #expect(!classifier.usesDefaultPreprocessing)
        let names = ["chelsea_422.jpg", "rocket_tiny.png", "coffee_cmyk.jpg", "large.jpg"]
        let images = try names.map { try RGBImage(contentsOf: fixtureURL($0)) }
        let sequential = try images.map { try classifier.classify([$0], topK: 3)[0] }
        try await withThrowingTaskGroup(of: (Int, [Prediction]).self) { group in
            for task in 0..<16 {
                group.addTask { (task % images.count, try classifier.classify([images[task % images.count]], topK: 3)[0]) }
            }
            for try await (index, predictions) in group { #expect(predictions == sequential[index]) }
        }
        let batched = try classifier.classify(images, topK: 3)
        for (one, many) in zip(sequential, batched) {
            #expect(one.map(\.index) == many.map(\.index))
            for (a, b) in zip(one, many) { #expect(abs(a.score - b.score) < 1e-6) }
        }
    }

    @Test func embedsAndRejectsHeadlessClassification() throws {
        let classifier = try ImageClassifier(contentsOf: pipelineModel, pool: WorkerPool(threadCount: 1))
        let image = try RGBImage(contentsOf: fixtureURL("chelsea_422.jpg"))
        #expect(try classifier.embed([image, image]).shape == [2, 32])
        #expect(try classifier.classify([], topK: 3).isEmpty)
        let base = try ModelFolder(imageFixtures.deletingLastPathComponent().appendingPathComponent("base_model")).loadModel()
        #expect(throws: ConvNeXtError.self) {
            _ = try ImageClassifier(model: base, processor: classifier.processor).classify([image])
        }
    }
}
