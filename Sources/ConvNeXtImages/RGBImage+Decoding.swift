import Foundation

extension RGBImage {
    /// Decodes the JPEG or PNG file at `url` to the pixels of Pillow's
    /// `Image.open(url).convert("RGB")`.
    ///
    /// The format is recognised by its signature, not the file name. Like Pillow, no EXIF
    /// orientation is applied, alpha is dropped (not composited) and colour profiles and
    /// gamma are ignored.
    ///
    /// - Parameter pixelLimit: the most pixels accepted; a larger image is refused after its
    ///   header is read and before pixel memory is allocated.
    /// - Throws: ``ImageError`` naming the file's path.
    public init(contentsOf url: URL, pixelLimit: Int = RGBImage.defaultPixelLimit) throws(ImageError) {
        let data: Data
        do {
            data = try Data(contentsOf: url, options: .mappedIfSafe)
        } catch {
            throw .unreadable(source: url.path, reason: (error as NSError).localizedDescription)
        }
        try self.init(data: data, name: url.path, pixelLimit: pixelLimit)
    }

    /// Decodes an encoded JPEG or PNG image held in memory; see ``init(contentsOf:pixelLimit:)``.
    ///
    /// - Parameter name: how errors refer to the data.
    /// - Throws: ``ImageError`` naming `name`.
    public init(data: Data, name: String = "<data>", pixelLimit: Int = RGBImage.defaultPixelLimit) throws(ImageError) {
        guard !data.isEmpty else { throw .empty(source: name) }
        let result = data.withUnsafeBytes { bytes in
            Result { () throws(ImageError) -> RGBImage in
                switch ImageFormat(signature: bytes) {
                case .jpeg: return try JPEGDecoder.decode(bytes, source: name, pixelLimit: pixelLimit)
                case .png: return try PNGDecoder.decode(bytes, source: name, pixelLimit: pixelLimit)
                case nil: throw .unknownFormat(source: name)
                }
            }
        }
        self = try result.get()
    }

    /// Throws ``ImageError/tooLarge(source:width:height:limit:)`` unless `width * height <= limit`.
    static func checkPixelCount(width: Int, height: Int, limit: Int, source: String) throws(ImageError) {
        let (count, overflow) = width.multipliedReportingOverflow(by: height)
        if overflow || count > limit { throw .tooLarge(source: source, width: width, height: height, limit: limit) }
    }
}
