/// An 8-bit RGB image: `height` rows of `width` pixels, each three bytes (red, green, blue),
/// rows top to bottom with no padding.
///
/// Decoding (``init(contentsOf:pixelLimit:)``) gives the pixels of Pillow's
/// `Image.open(path).convert("RGB")`. A value type: share it freely across tasks.
public struct RGBImage: Sendable, Equatable {
    /// Pixels per row.
    public let width: Int
    /// Rows.
    public let height: Int
    /// `width * height * 3` bytes, interleaved RGB, row-major.
    public let pixels: [UInt8]

    /// Pillow's default decompression-bomb limit: an image with more pixels than this
    /// (twice `PIL.Image.MAX_IMAGE_PIXELS`) is refused before any pixel memory is allocated.
    public static let defaultPixelLimit = 178_956_970

    /// An image holding `pixels`, which must have exactly `width * height * 3` bytes.
    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(width >= 0 && height >= 0, "negative image size \(width)x\(height)")
        precondition(pixels.count == width * height * 3, "\(pixels.count) bytes for a \(width)x\(height) RGB image")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// The red, green and blue values of the pixel at column `x`, row `y`.
    public subscript(x: Int, y: Int) -> (red: UInt8, green: UInt8, blue: UInt8) {
        precondition(x >= 0 && x < width && y >= 0 && y < height, "pixel (\(x), \(y)) outside \(width)x\(height)")
        let offset = (y * width + x) * 3
        return (pixels[offset], pixels[offset + 1], pixels[offset + 2])
    }
}
