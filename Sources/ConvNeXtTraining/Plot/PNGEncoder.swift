import ConvNeXtImages
import Foundation

/// Encodes ``ConvNeXtImages/RGBImage`` as an 8-bit RGB PNG in pure Swift (no filter, one
/// fixed-Huffman DEFLATE stream), and writes files atomically.
public enum PNGEncoder {
    /// The PNG file bytes of `image`.
    public static func encode(_ image: RGBImage) -> Data {
        precondition(image.width > 0 && image.height > 0, "a PNG needs at least one pixel")
        var raw = [UInt8]()
        raw.reserveCapacity((image.width * 3 + 1) * image.height)
        let rowBytes = image.width * 3
        for row in 0..<image.height {
            raw.append(0)  // filter type None
            raw += image.pixels[(row * rowBytes)..<((row + 1) * rowBytes)]
        }
        var header = [UInt8]()
        header += bigEndian(UInt32(image.width))
        header += bigEndian(UInt32(image.height))
        header += [8, 2, 0, 0, 0]  // 8 bits, truecolor, deflate, adaptive filtering, no interlace
        var file: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        file += chunk("IHDR", header)
        file += chunk("IDAT", Deflate.zlibCompress(raw))
        file += chunk("IEND", [])
        return Data(file)
    }

    /// Writes `image` as a PNG file at `url`: to a temporary file in the same folder, then
    /// renamed over `url`, so a reader never sees a partial file.
    ///
    /// - Throws: Foundation's error when the temporary file cannot be written, or
    ///   ``PNGWriteError`` when it cannot be renamed.
    public static func write(_ image: RGBImage, to url: URL) throws {
        let data = encode(image)
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        try data.write(to: temporary)
        guard rename(temporary.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw PNGWriteError(path: url.path, reason: reason)
        }
    }

    /// A chunk: length, type, data, CRC-32 of type and data.
    static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let body = Array(type.utf8) + data
        return bigEndian(UInt32(data.count)) + body + bigEndian(crc32(body))
    }

    static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }

    private static let crcTable: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    /// The CRC-32 of PNG and zlib (reflected, polynomial 0xEDB88320).
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for byte in bytes { c = crcTable[Int((c ^ UInt32(byte)) & 0xFF)] ^ (c >> 8) }
        return c ^ 0xFFFF_FFFF
    }
}

/// A PNG file that could not be put in place.
public struct PNGWriteError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The destination path.
    public var path: String
    /// The system's message.
    public var reason: String

    /// A one-line explanation.
    public var description: String { "\(path): cannot write PNG: \(reason)" }
}
