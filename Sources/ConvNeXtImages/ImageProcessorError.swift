/// Why an image processor configuration was rejected or a batch could not be built.
public enum ImageProcessorError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The configuration file could not be read.
    case unreadableConfiguration(path: String, reason: String)
    /// The configuration is not a JSON object of the expected field types.
    case invalidJSON(reason: String)
    /// A field has a value transformers would fail on or that makes no sense.
    case invalidValue(field: String, reason: String)
    /// `resample` is not one of Pillow's classic filters (0 to 5).
    case unsupportedResample(Int)
    /// Resizing is on but `size` has no `shortest_edge` (ConvNeXt's processor needs one).
    case missingShortestEdge
    /// The image has no pixels.
    case emptyImage
    /// A batch needs at least one image.
    case emptyBatch
    /// Images of a batch came out in different sizes (possible only without resizing).
    case mismatchedBatch(first: [Int], other: [Int])

    /// A one-line explanation.
    public var description: String {
        switch self {
        case .unreadableConfiguration(let path, let reason): return "\(path): cannot read image processor configuration: \(reason)"
        case .invalidJSON(let reason): return "invalid image processor configuration: \(reason)"
        case .invalidValue(let field, let reason): return "invalid image processor configuration: \(field) \(reason)"
        case .unsupportedResample(let value): return "unsupported resample value \(value) (expected 0...5: nearest, lanczos, bilinear, bicubic, box, hamming)"
        case .missingShortestEdge: return "ConvNeXt's image processor needs size[\"shortest_edge\"] when do_resize is true"
        case .emptyImage: return "cannot preprocess an image with no pixels"
        case .emptyBatch: return "a batch needs at least one image"
        case .mismatchedBatch(let first, let other): return "cannot stack images of shapes \(first) and \(other) in one batch"
        }
    }
}
