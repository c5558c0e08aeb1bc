import ConvNeXt
import ConvNeXtTraining
import Foundation
import Testing

@Suite struct ClassificationMetricsTests {
    @Test func countsTopOneTopFiveAndConfusion() throws {
        let names = (0..<7).map { "class\($0)" }
        var metrics = ClassificationMetrics(classNames: names)
        #expect(metrics.topK == 5)
        // Row 0: label 0 is the largest. Row 1: label 2 ranks 3rd. Row 2: label 6 ranks 7th (last).
        let logits = Tensor(shape: [3, 7], scalars: [
            9, 1, 2, 3, 4, 5, 6,
            7, 6, 5, 1, 0, 0, 0,
            1, 2, 3, 4, 5, 6, 0,
        ])
        metrics.update(logits: logits, labels: [0, 2, 6], loss: 1.5)
        metrics.update(logits: Tensor(shape: [1, 7], scalars: [0, 0, 0, 0, 0, 0, 1]), labels: [6], loss: 0.5)
        #expect(metrics.count == 4 && metrics.top1Correct == 2 && metrics.topKCorrect == 3)
        #expect(metrics.top1Accuracy == 0.5 && metrics.topKAccuracy == 0.75)
        #expect(metrics.meanLoss == (1.5 * 3 + 0.5) / 4)
        #expect(metrics.confusion[0][0] == 1 && metrics.confusion[2][0] == 1 && metrics.confusion[6][5] == 1 && metrics.confusion[6][6] == 1)
        let perClass = metrics.perClass
        #expect(perClass[6].name == "class6" && perClass[6].correct == 1 && perClass[6].total == 2 && perClass[6].accuracy == 0.5)
        #expect(perClass[1].total == 0 && perClass[1].accuracy == nil)
    }

    @Test func tiesAndNaNFollowTorch() {
        var metrics = ClassificationMetrics(classNames: ["a", "b", "c"])
        #expect(metrics.topK == 3)
        // Equal logits: the lower index wins, so label 1 is not top-1 against class 0.
        metrics.update(logits: Tensor(shape: [2, 3], scalars: [2, 2, 0, 1, .nan, 3]), labels: [1, 1])
        #expect(metrics.top1Correct == 1)  // NaN ranks first
        #expect(metrics.confusion[1] == [1, 1, 0])
        #expect(metrics.meanLoss == nil)
    }

    @Test func mergeAddsCounts() {
        var a = ClassificationMetrics(classNames: ["x", "y"])
        var b = a
        a.update(logits: Tensor(shape: [1, 2], scalars: [1, 0]), labels: [0], loss: 1)
        b.update(logits: Tensor(shape: [1, 2], scalars: [1, 0]), labels: [1], loss: 3)
        var all = ClassificationMetrics(classNames: ["x", "y"])
        all.update(logits: Tensor(shape: [2, 2], scalars: [1, 0, 1, 0]), labels: [0, 1], loss: 2)
        a.merge(b)
        #expect(a == all)
    }

    @Test func jsonAndTextReports() throws {
        var metrics = ClassificationMetrics(classNames: ["cat", "dog"])
        metrics.update(logits: Tensor(shape: [3, 2], scalars: [1, 0, 0, 1, 1, 0]), labels: [0, 1, 1], loss: 0.25)
        let decoded = try JSONDecoder().decode(ClassificationReport.self, from: try metrics.jsonData())
        #expect(decoded == metrics.report)
        #expect(decoded.classNames == ["cat", "dog"] && decoded.confusionMatrix == [[1, 0], [1, 1]] && decoded.topK == 2)
        let text = metrics.text
        #expect(text.contains("top-1: 66.67%") && text.contains("top-2: 100.00%") && text.contains("loss: 0.2500"))
        #expect(text.contains("dog") && text.contains("50.00%") && text.contains("confusion matrix"))
        let many = ClassificationMetrics(classNames: (0..<21).map { "c\($0)" })
        #expect(!many.text.contains("confusion matrix") && many.text.contains("c20"))
    }
}
