import ConvNeXtKernels

/// Accumulated classification results: top-1 and top-k accuracy (k = min(5, classes)), the
/// mean loss when losses are given, per-class accuracy and the confusion matrix.
///
/// Predictions follow `torch.topk`/`argmax` conventions: a NaN logit ranks above every
/// number, and equal logits rank by lower class index first.
public struct ClassificationMetrics: Sendable, Equatable {
    /// Class names; class `i` is `classNames[i]`.
    public let classNames: [String]
    /// Images seen.
    public private(set) var count = 0
    /// Images whose top-scoring class is the label.
    public private(set) var top1Correct = 0
    /// Images whose label is among the ``topK`` highest-scoring classes.
    public private(set) var topKCorrect = 0
    /// `confusion[true][predicted]`: images of class `true` predicted as `predicted`.
    public private(set) var confusion: [[Int]]
    /// The sum of per-image losses given with updates.
    public private(set) var lossSum = 0.0
    /// The images whose loss was given.
    public private(set) var lossCount = 0

    /// Empty metrics for `classNames`.
    public init(classNames: [String]) {
        precondition(!classNames.isEmpty, "need at least one class")
        self.classNames = classNames
        self.confusion = Array(repeating: Array(repeating: 0, count: classNames.count), count: classNames.count)
    }

    /// The k of top-k accuracy: 5, or the class count when smaller.
    public var topK: Int { min(5, classNames.count) }

    /// Adds a batch: `logits` is `[N, classes]`, `labels` the N true classes, and `loss` the
    /// batch's mean loss (weighted by N in ``meanLoss``), if computed.
    public mutating func update(logits: Tensor, labels: [Int], loss: Double? = nil) {
        let classes = classNames.count
        precondition(logits.shape == [labels.count, classes], "logits \(logits.shape) for \(labels.count) labels and \(classes) classes")
        precondition(labels.allSatisfy { (0..<classes).contains($0) }, "label out of range")
        logits.withUnsafeBufferPointer { values in
            for (row, label) in labels.enumerated() {
                let scores = UnsafeBufferPointer(rebasing: values[(row * classes)..<((row + 1) * classes)])
                // Rank of the true class: classes ranked strictly above it.
                var rank = 0
                var predicted = 0
                for k in 0..<classes {
                    if Self.ranksAbove(scores[k], index: k, scores[label], index: label) { rank += 1 }
                    if Self.ranksAbove(scores[k], index: k, scores[predicted], index: predicted) { predicted = k }
                }
                count += 1
                if rank == 0 { top1Correct += 1 }
                if rank < topK { topKCorrect += 1 }
                confusion[label][predicted] += 1
            }
        }
        if let loss {
            lossSum += loss * Double(labels.count)
            lossCount += labels.count
        }
    }

    /// Adds the counts of `other` (metrics of another part of the same data set).
    public mutating func merge(_ other: ClassificationMetrics) {
        precondition(other.classNames == classNames, "merging metrics of different classes")
        count += other.count
        top1Correct += other.top1Correct
        topKCorrect += other.topKCorrect
        lossSum += other.lossSum
        lossCount += other.lossCount
        for t in confusion.indices {
            for p in confusion[t].indices { confusion[t][p] += other.confusion[t][p] }
        }
    }

    /// Top-1 accuracy in 0...1 (0 with no images).
    public var top1Accuracy: Double { count > 0 ? Double(top1Correct) / Double(count) : 0 }
    /// Top-``topK`` accuracy in 0...1 (0 with no images).
    public var topKAccuracy: Double { count > 0 ? Double(topKCorrect) / Double(count) : 0 }
    /// The mean per-image loss, or nil when no loss was given.
    public var meanLoss: Double? { lossCount > 0 ? lossSum / Double(lossCount) : nil }

    /// Accuracy of one class.
    public struct ClassAccuracy: Sendable, Equatable, Codable {
        /// The class name.
        public var name: String
        /// Images of the class predicted correctly.
        public var correct: Int
        /// Images of the class.
        public var total: Int
        /// `correct / total`, or nil for a class without images.
        public var accuracy: Double?
    }

    /// Per-class accuracy in class order (the diagonal of the confusion matrix over its rows).
    public var perClass: [ClassAccuracy] {
        classNames.indices.map { c in
            let total = confusion[c].reduce(0, +)
            return ClassAccuracy(name: classNames[c], correct: confusion[c][c], total: total,
                                 accuracy: total > 0 ? Double(confusion[c][c]) / Double(total) : nil)
        }
    }

    /// Whether `a` (class `i`) ranks above `b` (class `j`): larger first, NaN largest, ties
    /// to the lower index.
    static func ranksAbove(_ a: Float, index i: Int, _ b: Float, index j: Int) -> Bool {
        if a.isNaN || b.isNaN {
            if a.isNaN && b.isNaN { return i < j }
            return a.isNaN
        }
        return a > b || (a == b && i < j)
    }
}
