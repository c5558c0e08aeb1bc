import Foundation

/// ``ClassificationMetrics`` as a `Codable` value: what `convnext eval --json` writes.
public struct ClassificationReport: Sendable, Equatable, Codable {
    /// Class names in label order.
    public var classNames: [String]
    /// Images evaluated.
    public var count: Int
    /// Top-1 accuracy in 0...1.
    public var top1: Double
    /// The k of ``topKAccuracy``.
    public var topK: Int
    /// Top-k accuracy in 0...1.
    public var topKAccuracy: Double
    /// Mean loss, when computed.
    public var meanLoss: Double?
    /// Per-class accuracy.
    public var perClass: [ClassificationMetrics.ClassAccuracy]
    /// `confusionMatrix[true][predicted]`.
    public var confusionMatrix: [[Int]]
}

extension ClassificationMetrics {
    /// The metrics as a report.
    public var report: ClassificationReport {
        ClassificationReport(classNames: classNames, count: count, top1: top1Accuracy, topK: topK,
                             topKAccuracy: topKAccuracy, meanLoss: meanLoss, perClass: perClass,
                             confusionMatrix: confusion)
    }

    /// The report as pretty-printed JSON with sorted keys.
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(report)
    }

    /// The largest class count for which ``text`` includes the confusion matrix.
    public static let textConfusionLimit = 20

    /// A human-readable summary: overall accuracy and loss, a per-class table, and the
    /// confusion matrix (rows true, columns predicted) for at most ``textConfusionLimit`` classes.
    public var text: String {
        func percent(_ value: Double?) -> String {
            guard let value else { return "-" }
            return String(format: "%.2f%%", value * 100)
        }
        var lines: [String] = []
        var summary = "images: \(count)  top-1: \(percent(top1Accuracy))  top-\(topK): \(percent(topKAccuracy))"
        if let meanLoss { summary += String(format: "  loss: %.4f", meanLoss) }
        lines.append(summary)
        lines.append("")
        let nameWidth = max(5, classNames.map(\.count).max() ?? 0)
        func pad(_ text: String, _ width: Int, left: Bool = false) -> String {
            let padding = String(repeating: " ", count: max(0, width - text.count))
            return left ? text + padding : padding + text
        }
        lines.append(pad("class", nameWidth, left: true) + "  correct  total  accuracy")
        for row in perClass {
            lines.append(pad(row.name, nameWidth, left: true) + "  " + pad("\(row.correct)", 7) + "  "
                         + pad("\(row.total)", 5) + "  " + pad(percent(row.accuracy), 8))
        }
        if classNames.count <= Self.textConfusionLimit {
            lines.append("")
            lines.append("confusion matrix (rows: true class, columns: predicted class)")
            let cellWidth = max(3, String(confusion.flatMap { $0 }.max() ?? 0).count, String(classNames.count - 1).count)
            let labelWidth = nameWidth + String(classNames.count - 1).count + 1
            lines.append(pad("", labelWidth) + classNames.indices.map { " " + pad("\($0)", cellWidth) }.joined())
            for (index, row) in confusion.enumerated() {
                let label = pad("\(index)", String(classNames.count - 1).count) + " " + pad(classNames[index], nameWidth, left: true)
                lines.append(label + row.map { " " + pad("\($0)", cellWidth) }.joined())
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
