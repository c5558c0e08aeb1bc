import ConvNeXt
import Foundation

/// One class score of a classification.
public struct Prediction: Sendable, Equatable, Codable {
    /// The class name from the model's `id2label` (`LABEL_i` when it has none).
    public let label: String
    /// The class index.
    public let index: Int
    /// The softmax probability.
    public let score: Float
}

/// A model folder's model and image processor together: images in, labels or embeddings out.
///
/// Load once and share: an `ImageClassifier` is immutable and `Sendable`, and any number of
/// tasks may classify or embed at once.
public struct ImageClassifier: Sendable {
    /// The network.
    public let model: ConvNeXtModel
    /// The preprocessing the model was trained with.
    public let processor: ImageProcessor
    /// True when the folder had no `preprocessor_config.json` and the hub defaults are used.
    public let usesDefaultPreprocessing: Bool

    /// Pairs a model with a processor.
    public init(model: ConvNeXtModel, processor: ImageProcessor, usesDefaultPreprocessing: Bool = false) {
        self.model = model
        self.processor = processor
        self.usesDefaultPreprocessing = usesDefaultPreprocessing
    }

    /// Loads the model of a folder and its `preprocessor_config.json`, or the ConvNeXt hub
    /// defaults (224, crop_pct 0.875, bicubic, ImageNet mean and std) when the file is absent.
    public init(contentsOf folder: URL, pool: WorkerPool = WorkerPool()) throws {
        let model = try ModelFolder(folder).loadModel(pool: pool)
        let (processor, usesDefaults) = try ImageProcessor.forModelFolder(folder)
        self.init(model: model, processor: processor, usesDefaultPreprocessing: usesDefaults)
    }

    /// The `topK` most probable classes of each image, most probable first.
    ///
    /// - Throws: ``ConvNeXtError/invalidInput(_:)`` when the model has no classification head.
    public func classify(_ images: [RGBImage], topK: Int = 5) throws -> [[Prediction]] {
        guard model.architecture == .imageClassification, model.configuration.numLabels > 0 else {
            throw ConvNeXtError.invalidInput("the model has no classification head (architecture \(model.architecture.rawValue), \(model.configuration.numLabels) labels)")
        }
        guard !images.isEmpty else { return [] }
        var logits = try model.predict(processor.pixelValues(for: images)).logits!
        let classes = logits.shape[1]
        logits.withUnsafeMutableBufferPointer { softmax($0.baseAddress!, rows: images.count, columns: classes) }
        let probabilities = logits.scalars
        let labels = model.configuration.id2label
        return (0..<images.count).map { row in
            let scores = probabilities[(row * classes)..<((row + 1) * classes)]
            let ranked = scores.indices.sorted { scores[$0] > scores[$1] || (scores[$0] == scores[$1] && $0 < $1) }
            return ranked.prefix(max(topK, 0)).map { position in
                let index = position - row * classes
                return Prediction(label: labels[index] ?? "LABEL_\(index)", index: index, score: scores[position])
            }
        }
    }

    /// The pooled features of each image (`pooler_output`): `[N, C]`.
    ///
    /// - Throws: ``ConvNeXtError/invalidInput(_:)`` for a backbone, which has no pooled output.
    public func embed(_ images: [RGBImage]) throws -> Tensor {
        guard model.architecture != .backbone else {
            throw ConvNeXtError.invalidInput("a backbone has no pooled output to embed with; use a ConvNextModel or classifier folder")
        }
        return try model.predict(processor.pixelValues(for: images)).poolerOutput!
    }
}
