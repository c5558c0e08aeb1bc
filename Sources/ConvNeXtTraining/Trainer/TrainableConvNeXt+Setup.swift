import ConvNeXt
import ConvNeXtKernels
import Foundation

extension TrainableConvNeXt {
    /// A freshly initialized classifier for `classNames` (id2label in that order).
    public static func newClassifier(configuration: ConvNeXtConfiguration, classNames: [String], seed: UInt64) throws -> TrainableConvNeXt {
        var configuration = configuration
        configuration.id2label = Dictionary(uniqueKeysWithValues: classNames.enumerated().map { ($0.offset, $0.element) })
        var generator = RandomStreams.generator(seed: seed, purpose: .modelInitialization)
        return try TrainableConvNeXt(configuration: configuration, seed: generator.next())
    }

    /// How a checkpoint was turned into a classifier for new data.
    public struct FineTuningSetup: Sendable {
        /// The model to train, its id2label in the data's class order.
        public var model: TrainableConvNeXt
        /// The parameters that start fresh: a new head (the classes differ), or a norm a
        /// backbone checkpoint lacks.
        public var freshParameters: [String]
        /// What happened to the checkpoint's classifier, in words, for the user.
        public var summary: String
    }

    /// Loads `folder` (any checkpoint `ModelFolder` reads) as the start of fine-tuning on
    /// `classNames`.
    ///
    /// The checkpoint's classifier is kept when it has the same classes (rows reordered to the
    /// data's order when the names match in another order, kept as they are when the
    /// checkpoint's names are transformers' placeholders `LABEL_i`); otherwise a new head is
    /// initialized from `seed`. A backbone checkpoint gets a fresh final norm and head.
    ///
    /// - Throws: what loading the folder throws.
    public static func forFineTuning(folder: URL, classNames: [String], seed: UInt64) throws -> FineTuningSetup {
        let (description, loaded) = try ModelFolder(folder).loadParameters()
        let oldNames = (0..<description.configuration.numLabels).map { description.configuration.id2label[$0] ?? "LABEL_\($0)" }
        var fresh = try newClassifier(configuration: description.configuration, classNames: classNames, seed: seed)
        var parameters = fresh.parameters
        var freshNames = Set(parameters.keys)
        for (name, tensor) in loaded where parameters[name]?.shape == tensor.shape && !name.hasPrefix("classifier.") {
            parameters[name] = tensor
            freshNames.remove(name)
        }
        let summary: String
        let generic = oldNames.enumerated().allSatisfy { $0.element == "LABEL_\($0.offset)" }
        if description.architecture == .imageClassification, oldNames.count == classNames.count,
           let weight = loaded["classifier.weight"], let bias = loaded["classifier.bias"] {
            if generic || oldNames == classNames {
                parameters["classifier.weight"] = weight
                parameters["classifier.bias"] = bias
                summary = "kept the checkpoint's classifier (\(classNames.count) classes)"
                freshNames.subtract(["classifier.weight", "classifier.bias"])
            } else if Set(oldNames) == Set(classNames) {
                let rows = classNames.map { oldNames.firstIndex(of: $0)! }
                parameters["classifier.weight"] = weight.selectingRows(rows)
                parameters["classifier.bias"] = bias.selectingRows(rows)
                summary = "kept the checkpoint's classifier, rows reordered to the data's class order"
                freshNames.subtract(["classifier.weight", "classifier.bias"])
            } else {
                summary = "new classifier: the checkpoint's classes (\(describe(oldNames))) differ from the data's (\(describe(classNames)))"
            }
        } else if description.architecture == .imageClassification {
            summary = "new classifier for \(classNames.count) classes (the checkpoint has \(oldNames.count))"
        } else {
            summary = "new classifier for \(classNames.count) classes (the checkpoint is a \(description.architecture.rawValue))"
        }
        fresh.parameters = parameters
        return FineTuningSetup(model: fresh, freshParameters: freshNames.sorted(), summary: summary)
    }

    private static func describe(_ names: [String]) -> String {
        names.count <= 6 ? names.joined(separator: ", ") : names.prefix(5).joined(separator: ", ") + ", … \(names.count) in all"
    }
}

extension Tensor {
    /// The rows (first-axis slices) at `indices`, in that order.
    func selectingRows(_ indices: [Int]) -> Tensor {
        let rowSize = shape.dropFirst().reduce(1, *)
        let source = scalars
        var values: [Float] = []
        values.reserveCapacity(indices.count * rowSize)
        for row in indices { values += source[row * rowSize ..< (row + 1) * rowSize] }
        return Tensor(shape: [indices.count] + Array(shape.dropFirst()), scalars: values)
    }
}
