import Foundation

extension ConvNeXtConfiguration: Codable {
    enum CodingKeys: String, CodingKey {
        case modelType = "model_type"
        case numChannels = "num_channels"
        case patchSize = "patch_size"
        case numStages = "num_stages"
        case hiddenSizes = "hidden_sizes"
        case depths
        case hiddenAct = "hidden_act"
        case initializerRange = "initializer_range"
        case layerNormEps = "layer_norm_eps"
        case layerScaleInitValue = "layer_scale_init_value"
        case dropPathRate = "drop_path_rate"
        case imageSize = "image_size"
        case outFeatures = "out_features"
        case outIndices = "out_indices"
        case stageNames = "stage_names"
        case id2label
        case label2id
        case numLabels = "num_labels"
        case architectures
    }

    /// Decodes a transformers `config.json`; absent fields take transformers' defaults and
    /// fields that do not concern the model (`torch_dtype`, `transformers_version`, …) are ignored.
    public init(from decoder: any Decoder) throws {
        self.init()
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let modelType = try container.decodeIfPresent(String.self, forKey: .modelType) {
            guard let generation = Generation(rawValue: modelType) else {
                throw ConvNeXtError.invalidConfiguration(field: "model_type", reason: "'\(modelType)' is not a ConvNeXt model type (expected 'convnext' or 'convnextv2')")
            }
            self.generation = generation
        }
        numChannels = try container.decodeIfPresent(Int.self, forKey: .numChannels) ?? numChannels
        patchSize = try container.decodeIfPresent(Int.self, forKey: .patchSize) ?? patchSize
        let hiddenSizes = try container.decodeIfPresent([Int].self, forKey: .hiddenSizes)
        let depths = try container.decodeIfPresent([Int].self, forKey: .depths)
        self.hiddenSizes = hiddenSizes ?? self.hiddenSizes
        self.depths = depths ?? self.depths
        numStages = try container.decodeIfPresent(Int.self, forKey: .numStages) ?? numStages
        hiddenAct = try container.decodeIfPresent(String.self, forKey: .hiddenAct) ?? hiddenAct
        initializerRange = try container.decodeIfPresent(Double.self, forKey: .initializerRange) ?? initializerRange
        layerNormEps = try container.decodeIfPresent(Double.self, forKey: .layerNormEps) ?? layerNormEps
        layerScaleInitValue = try container.decodeIfPresent(Double.self, forKey: .layerScaleInitValue) ?? layerScaleInitValue
        dropPathRate = try container.decodeIfPresent(Double.self, forKey: .dropPathRate) ?? dropPathRate
        imageSize = try container.decodeIfPresent(Int.self, forKey: .imageSize) ?? imageSize
        outFeatures = try container.decodeIfPresent([String].self, forKey: .outFeatures)
        outIndices = try container.decodeIfPresent([Int].self, forKey: .outIndices)
        architectures = try container.decodeIfPresent([String].self, forKey: .architectures)

        // transformers: an explicit num_labels wins when it disagrees with id2label (it rebuilds
        // generic labels); otherwise id2label defines the labels; neither means two labels.
        let numLabels = try container.decodeIfPresent(Int.self, forKey: .numLabels)
        if let numLabels, numLabels < 0 {
            throw ConvNeXtError.invalidConfiguration(field: "num_labels", reason: "must not be negative, got \(numLabels)")
        }
        if let labels = try container.decodeIfPresent([String: String].self, forKey: .id2label) {
            var id2label: [Int: String] = [:]
            for (key, label) in labels {
                guard let index = Int(key) else {
                    throw ConvNeXtError.invalidConfiguration(field: "id2label", reason: "key '\(key)' is not an integer")
                }
                id2label[index] = label
            }
            self.id2label = id2label
        }
        if let numLabels, numLabels != id2label.count { setNumLabels(numLabels) }
    }

    /// Encodes the configuration as transformers writes `config.json`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(generation.rawValue, forKey: .modelType)
        try container.encode(numChannels, forKey: .numChannels)
        try container.encode(patchSize, forKey: .patchSize)
        try container.encode(numStages, forKey: .numStages)
        try container.encode(hiddenSizes, forKey: .hiddenSizes)
        try container.encode(depths, forKey: .depths)
        try container.encode(hiddenAct, forKey: .hiddenAct)
        try container.encode(initializerRange, forKey: .initializerRange)
        try container.encode(layerNormEps, forKey: .layerNormEps)
        if generation == .v1 { try container.encode(layerScaleInitValue, forKey: .layerScaleInitValue) }
        try container.encode(dropPathRate, forKey: .dropPathRate)
        try container.encode(imageSize, forKey: .imageSize)
        try container.encode(stageNames, forKey: .stageNames)
        if let aligned = try? alignedOutputFeatures() {
            try container.encode(aligned.map(\.name), forKey: .outFeatures)
            try container.encode(aligned.map(\.index), forKey: .outIndices)
        }
        try container.encode(Dictionary(uniqueKeysWithValues: id2label.map { (String($0.key), $0.value) }), forKey: .id2label)
        try container.encode(label2id, forKey: .label2id)
        try container.encodeIfPresent(architectures, forKey: .architectures)
    }

    /// Decodes and validates a `config.json` file.
    public static func load(from url: URL) throws -> ConvNeXtConfiguration {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw ConvNeXtError.unreadableFile(path: url.path, reason: "cannot open: \(error.localizedDescription)")
        }
        let configuration: ConvNeXtConfiguration
        do {
            configuration = try JSONDecoder().decode(ConvNeXtConfiguration.self, from: data)
        } catch let error as ConvNeXtError {
            throw error
        } catch let error as DecodingError {
            throw ConvNeXtError.unreadableFile(path: url.path, reason: error.summary)
        } catch {
            throw ConvNeXtError.unreadableFile(path: url.path, reason: "\(error)")
        }
        try configuration.validate()
        return configuration
    }
}

extension DecodingError {
    /// One line naming the field at fault, instead of Foundation's nested dump.
    var summary: String {
        func path(_ context: Context) -> String {
            context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
        }
        switch self {
        case let .typeMismatch(type, context):
            return "field '\(path(context))': expected \(type)"
        case let .valueNotFound(type, context):
            return "field '\(path(context))': expected \(type), found null"
        case let .keyNotFound(key, _):
            return "missing field '\(key.stringValue)'"
        case let .dataCorrupted(context):
            let field = path(context)
            return field.isEmpty ? "not valid JSON" : "field '\(field)': \(context.debugDescription)"
        @unknown default:
            return "\(self)"
        }
    }
}
