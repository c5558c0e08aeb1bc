import CImageCodecs

/// PNG decoding: libpng reads the raw samples (no transforms); ``PNGSampleFormat`` then turns
/// them into the RGB bytes Pillow's PNG plugin and `convert("RGB")` produce.
///
/// Checksums follow Pillow, not libpng's defaults: every chunk before the first IDAT must have
/// a valid CRC (ancillary chunks included), and nothing from the first IDAT on is checked
/// (Pillow skips the IDAT CRCs and stops reading once the last row is decoded).
enum PNGDecoder {
    static func decode(_ bytes: UnsafeRawBufferPointer, source: String, pixelLimit: Int) throws(ImageError) -> RGBImage {
        guard let start = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self),
              let decoder = cic_png_create(start, bytes.count)
        else { throw .outOfMemory(source: source) }
        defer { cic_png_destroy(decoder) }

        var info = cic_png_info()
        try check(cic_png_read_info(decoder, &info), decoder, source)
        let width = Int(info.width), height = Int(info.height)
        try RGBImage.checkPixelCount(width: width, height: height, limit: pixelLimit, source: source)
        guard let format = PNGSampleFormat(info) else {
            throw .corrupt(source: source, reason: "unsupported bit depth \(info.bit_depth) for colour type \(info.color_type)")
        }
        let rowBytes = format.rowBytes(width: width)

        var (status, raw) = decodeRows(decoder, rowBytes: rowBytes, height: height)
        if status == CIC_TRUNCATED, let recovered = rowsBeforeTruncation(start, bytes.count, rowBytes: rowBytes, height: height) {
            (status, raw) = (CIC_OK, recovered)
        }
        try check(status, decoder, source)
        // 8-bit RGB rows are already Pillow's RGB bytes.
        if format.isRGB8 { return RGBImage(width: width, height: height, pixels: raw) }

        let pixels = [UInt8](unsafeUninitializedCapacity: max(width * height * 3, 1)) { buffer, initialized in
            initialized = 0
            guard let output = buffer.baseAddress else { return }
            raw.withUnsafeBufferPointer { rawBuffer in
                guard let input = rawBuffer.baseAddress else { return }
                for y in 0..<height {
                    format.convertRow(input + y &* rowBytes, width: width, into: output + y &* width &* 3)
                }
            }
            initialized = width * height * 3
        }
        return RGBImage(width: width, height: height, pixels: pixels)
    }

    /// Decodes every row's raw samples with a decoder whose header has been read.
    private static func decodeRows(_ decoder: OpaquePointer, rowBytes: Int, height: Int) -> (cic_status, [UInt8]) {
        var status = CIC_OK
        let raw = [UInt8](unsafeUninitializedCapacity: max(rowBytes * height, 1)) { buffer, initialized in
            initialized = 0
            guard let base = buffer.baseAddress else { return }
            status = cic_png_decode(decoder, base, rowBytes)
            if status == CIC_OK { initialized = rowBytes * height }
        }
        return (status, raw)
    }

    /// The rows of a file cut short after its last row's data (only the zlib trailer or the
    /// IDAT checksum missing), which Pillow accepts: decoded twice with different padding past
    /// the end, the rows agree only if no padding went into them. Nil if the rows are incomplete.
    private static func rowsBeforeTruncation(_ start: UnsafePointer<UInt8>, _ count: Int, rowBytes: Int, height: Int) -> [UInt8]? {
        var candidates: [[UInt8]] = []
        for padding: Int32 in [0x00, 0xFF] {
            guard let decoder = cic_png_create(start, count) else { return nil }
            defer { cic_png_destroy(decoder) }
            var info = cic_png_info()
            guard cic_png_read_info(decoder, &info) == CIC_OK else { return nil }
            cic_png_set_padding(decoder, padding)
            let (status, raw) = decodeRows(decoder, rowBytes: rowBytes, height: height)
            guard status == CIC_OK else { return nil }
            candidates.append(raw)
        }
        return candidates[0] == candidates[1] ? candidates[0] : nil
    }

    private static func check(_ status: cic_status, _ decoder: OpaquePointer, _ source: String) throws(ImageError) {
        switch status {
        case CIC_OK: return
        case CIC_TRUNCATED: throw .truncated(source: source)
        case CIC_NO_MEMORY: throw .outOfMemory(source: source)
        default: throw .corrupt(source: source, reason: String(cString: cic_png_message(decoder)))
        }
    }
}
