import ConvNeXt
import ConvNeXtKernels
import Foundation

/// Runs a classifier over every batch of `loader` (in order) and gathers accuracy, the mean
/// cross-entropy loss and the confusion matrix.
///
/// - Parameter progress: called after each batch with the images done so far.
/// - Returns: the metrics and the images that could not be used.
/// - Throws: what the loader or the model throws (a wrong input size, no usable image).
public func evaluateClassifier(
    _ model: ConvNeXtModel, on loader: DataLoader, classNames: [String], progress: (Int) -> Void = { _ in }
) throws -> (metrics: ClassificationMetrics, skipped: [SkippedSample]) {
    var metrics = ClassificationMetrics(classNames: classNames)
    var skipped: [SkippedSample] = []
    let iterator = try loader.batches(epoch: 0)
    var done = 0
    while let batch = try iterator.next() {
        skipped += batch.skipped
        guard !batch.isEmpty else { continue }
        guard let logits = try model.predict(batch.pixels, layout: .channelsLast).logits else {
            throw ConvNeXtError.invalidInput("the model has no classifier (num_labels is 0 or it is a base model)")
        }
        metrics.update(logits: logits, labels: batch.labels, loss: meanCrossEntropy(logits: logits, labels: batch.labels))
        done += batch.count
        progress(done)
    }
    return (metrics, skipped)
}

/// The mean of `logsumexp(row) − row[label]` over the rows of `[N, K]` logits, in double precision.
func meanCrossEntropy(logits: Tensor, labels: [Int]) -> Double {
    let classes = logits.shape.last ?? 1
    return logits.withUnsafeBufferPointer { values in
        var total = 0.0
        for (row, label) in labels.enumerated() {
            let scores = values[(row * classes)..<((row + 1) * classes)]
            let maximum = Double(scores.max() ?? 0)
            let sum = scores.reduce(0.0) { $0 + exp(Double($1) - maximum) }
            total += maximum + log(sum) - Double(values[row * classes + label])
        }
        return labels.isEmpty ? 0 : total / Double(labels.count)
    }
}
