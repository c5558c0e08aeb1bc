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
        let count = width * height

        var status = CIC_OK
        if format.isRGB8 {
            // Already Pillow's RGB bytes: decode straight into the image.
            let pixels = [UInt8](unsafeUninitializedCapacity: max(count * 3, 1)) { buffer, initialized in
                initialized = 0
                guard let base = buffer.baseAddress else { return }
                status = cic_png_decode(decoder, base, rowBytes)
                if status == CIC_OK { initialized = count * 3 }
            }
            try check(status, decoder, source)
            return RGBImage(width: width, height: height, pixels: pixels)
        }

        let raw = [UInt8](unsafeUninitializedCapacity: max(rowBytes * height, 1)) { buffer, initialized in
            initialized = 0
            guard let base = buffer.baseAddress else { return }
            status = cic_png_decode(decoder, base, rowBytes)
            if status == CIC_OK { initialized = rowBytes * height }
        }
        try check(status, decoder, source)
        let pixels = [UInt8](unsafeUninitializedCapacity: max(count * 3, 1)) { buffer, initialized in
            initialized = 0
            guard let output = buffer.baseAddress else { return }
            raw.withUnsafeBufferPointer { rawBuffer in
                guard let input = rawBuffer.baseAddress else { return }
                for y in 0..<height {
                    format.convertRow(input + y &* rowBytes, width: width, into: output + y &* width &* 3)
                }
            }
            initialized = count * 3
        }
        return RGBImage(width: width, height: height, pixels: pixels)
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
