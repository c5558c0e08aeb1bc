/// Why an image could not be decoded. Every case names its source: a file path, or the name
/// given to ``RGBImage/init(data:name:pixelLimit:)``.
public enum ImageError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file could not be read (missing, a directory, no permission).
    case unreadable(source: String, reason: String)
    /// The file or data has no bytes.
    case empty(source: String)
    /// The bytes start with neither a JPEG nor a PNG signature.
    case unknownFormat(source: String)
    /// The data ends before the image does.
    case truncated(source: String)
    /// The decoder rejected the data (a bad checksum, an invalid stream, an unsupported layout).
    case corrupt(source: String, reason: String)
    /// The image has more pixels than the decoder's limit; nothing was allocated for it.
    case tooLarge(source: String, width: Int, height: Int, limit: Int)
    /// Memory for the image could not be allocated.
    case outOfMemory(source: String)

    /// The file path or name of the data that failed.
    public var source: String {
        switch self {
        case .unreadable(let source, _), .empty(let source), .unknownFormat(let source),
             .truncated(let source), .corrupt(let source, _), .tooLarge(let source, _, _, _),
             .outOfMemory(let source):
            return source
        }
    }

    /// A one-line explanation naming the source.
    public var description: String {
        switch self {
        case .unreadable(let source, let reason): return "\(source): cannot read file: \(reason)"
        case .empty(let source): return "\(source): empty file"
        case .unknownFormat(let source): return "\(source): not a JPEG or PNG image"
        case .truncated(let source): return "\(source): image file is truncated"
        case .corrupt(let source, let reason): return "\(source): corrupt image data: \(reason)"
        case .tooLarge(let source, let width, let height, let limit):
            return "\(source): image of \(width)x\(height) pixels exceeds the limit of \(limit) pixels"
        case .outOfMemory(let source): return "\(source): out of memory"
        }
    }
}
