import ConvNeXt
import ConvNeXtImages
import Foundation
import SafeTensors

/// The parsers a file from the internet reaches, each as one fuzz target: the input bytes
/// go through the same public API a user's program calls, and must come back as a value or
/// a typed error, never a crash, a hang or an unbounded allocation.
enum FuzzTarget: String, CaseIterable, Sendable {
    /// A `model.safetensors` file: header, validation, every tensor's conversion, then for a
    /// ConvNeXt checkpoint the loading a folder without `config.json` goes through.
    case safetensors
    /// A transformers `config.json`: decoding, validation, parameter layout and complexity.
    case config
    /// A `preprocessor_config.json`: decoding, validation and, for sizes up to 1024, one
    /// small image through the processor.
    case preprocessorConfig = "preprocessor-config"
    /// PNG decoding.
    case png
    /// JPEG decoding.
    case jpeg
    /// A `model.safetensors.index.json` beside two valid shards: index parsing, shard
    /// resolution and every mapped tensor's read.
    case shardedIndex = "sharded-index"

    /// What one input did.
    enum Outcome: Equatable {
        /// The input was valid and fully processed.
        case accepted
        /// The input was refused with this error description.
        case rejected(String)
    }

    /// Largest image, in pixels, a fuzz input may decode to: keeps each execution fast while
    /// the decoders' own limit (``RGBImage/defaultPixelLimit``) is tested separately.
    static let pixelLimit = 1 << 22

    /// Runs one input through the target.
    func run(_ data: Data, scratch: FuzzScratchFolder) -> Outcome {
        do {
            switch self {
            case .safetensors: try Self.readSafeTensors(data, scratch: scratch)
            case .config: try Self.readConfiguration(data)
            case .preprocessorConfig: try Self.readProcessorConfiguration(data)
            case .png, .jpeg: _ = try RGBImage(data: data, name: rawValue, pixelLimit: Self.pixelLimit)
            case .shardedIndex: try Self.readShardedIndex(data, scratch: scratch)
            }
            return .accepted
        } catch {
            return .rejected(String(describing: error))
        }
    }

    private static func readSafeTensors(_ data: Data, scratch: FuzzScratchFolder) throws {
        let url = try scratch.write(data, as: "model.safetensors")
        let file = try SafeTensorsFile(contentsOf: url)
        for name in file.tensorNames { _ = try file.tensor(name) }
        // A ConvNeXt checkpoint then goes the way a folder without config.json goes: naming
        // detection, configuration inference and strict loading.
        guard CheckpointNaming.detect(file.tensorNames) != nil else { return }
        _ = try ModelFolder(url).loadParameters()
    }

    private static func readConfiguration(_ data: Data) throws {
        let configuration = try JSONDecoder().decode(ConvNeXtConfiguration.self, from: data)
        try configuration.validate()
        // The layout lists every parameter: bounded here so one input stays fast.
        guard configuration.depths.reduce(0, +) <= 256 else { return }
        for architecture in ModelArchitecture.allCases {
            _ = try ParameterLayout(configuration: configuration, architecture: architecture)
        }
        let side = max(configuration.minimumInputSize, 32)
        _ = try ModelComplexity(configuration: configuration, height: side, width: side)
    }

    private static func readProcessorConfiguration(_ data: Data) throws {
        let configuration = try ImageProcessorConfiguration(jsonData: data)
        let processor = try ImageProcessor(configuration: configuration)
        let sides = [configuration.shortestEdge ?? 0, configuration.cropSize?.height ?? 0, configuration.cropSize?.width ?? 0]
        guard sides.allSatisfy({ $0 <= 1024 }), configuration.cropPercentage >= 0.25 else { return }
        let image = RGBImage(width: 7, height: 5, pixels: (0..<105).map { UInt8(truncatingIfNeeded: $0 &* 37) })
        _ = try processor.pixelValues(for: [image])
    }

    private static func readShardedIndex(_ data: Data, scratch: FuzzScratchFolder) throws {
        let index = try scratch.write(data, as: "model.safetensors.index.json")
        try scratch.ensureShards()
        let weights = try CheckpointWeights(contentsOf: index)
        for name in weights.tensorNames { _ = try weights.tensor(name) }
    }
}
