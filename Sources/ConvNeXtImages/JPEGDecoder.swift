import CImageCodecs

/// JPEG decoding through libjpeg(-turbo), configured as Pillow configures it: the library's
/// defaults (accurate integer IDCT, fancy upsampling), the output colour space chosen by the
/// component count, and a truncated file reported as an error rather than padded.
enum JPEGDecoder {
    static func decode(_ bytes: UnsafeRawBufferPointer, source: String, pixelLimit: Int) throws(ImageError) -> RGBImage {
        guard let start = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self),
              let decoder = cic_jpeg_create(start, bytes.count)
        else { throw .outOfMemory(source: source) }
        defer { cic_jpeg_destroy(decoder) }

        var info = cic_jpeg_info()
        try check(cic_jpeg_read_header(decoder, &info), decoder, source)
        let width = Int(info.width), height = Int(info.height), components = Int(info.components)
        try RGBImage.checkPixelCount(width: width, height: height, limit: pixelLimit, source: source)

        let count = width * height
        var status = CIC_OK
        // Room for the decoder's output, converted to RGB in place afterwards.
        let pixels = [UInt8](unsafeUninitializedCapacity: max(count * max(components, 3), 1)) { buffer, initialized in
            initialized = 0
            guard let base = buffer.baseAddress else { return }
            status = cic_jpeg_decode(decoder, base)
            guard status == CIC_OK else { return }
            switch components {
            case 1: expandGrayInPlace(base, count: count)
            case 4: convertInvertedCMYKInPlace(base, count: count)
            default: break
            }
            initialized = count * 3
        }
        try check(status, decoder, source)
        return RGBImage(width: width, height: height, pixels: pixels)
    }

    private static func check(_ status: cic_status, _ decoder: OpaquePointer, _ source: String) throws(ImageError) {
        switch status {
        case CIC_OK: return
        case CIC_TRUNCATED: throw .truncated(source: source)
        case CIC_NO_MEMORY: throw .outOfMemory(source: source)
        default: throw .corrupt(source: source, reason: String(cString: cic_jpeg_message(decoder)))
        }
    }

    /// Replicates `count` gray bytes at the start of `pixels` into RGB triples. Runs backwards:
    /// the triple for pixel i never overlaps a gray byte still to be read.
    static func expandGrayInPlace(_ pixels: UnsafeMutablePointer<UInt8>, count: Int) {
        var index = count
        while index > 0 {
            index &-= 1
            let gray = pixels[index]
            pixels[index &* 3] = gray
            pixels[index &* 3 &+ 1] = gray
            pixels[index &* 3 &+ 2] = gray
        }
    }

    /// Converts CMYK as libjpeg returns it for Pillow's "CMYK;I" raw mode (Adobe convention:
    /// stored inverted) to RGB with Pillow's `cmyk2rgb`. Runs forwards: the RGB triple of pixel
    /// i ends before the CMYK quad of pixel i + 1 starts.
    static func convertInvertedCMYKInPlace(_ pixels: UnsafeMutablePointer<UInt8>, count: Int) {
        for index in 0..<count {
            let quad = pixels + index &* 4
            // Pillow inverts on unpacking, then uses nk = 255 - k, which is the stored byte.
            let c = 255 &- Int(quad[0]), m = 255 &- Int(quad[1]), y = 255 &- Int(quad[2])
            let nk = Int(quad[3])
            let triple = pixels + index &* 3
            triple[0] = clip8(nk &- mulDiv255(c, nk))
            triple[1] = clip8(nk &- mulDiv255(m, nk))
            triple[2] = clip8(nk &- mulDiv255(y, nk))
        }
    }

    @inline(__always)
    static func clip8(_ value: Int) -> UInt8 {
        UInt8(truncatingIfNeeded: Swift.min(Swift.max(value, 0), 255))
    }

    /// Pillow's MULDIV255: (a * b + 127) / 255 with its exact shift-based rounding.
    @inline(__always)
    static func mulDiv255(_ a: Int, _ b: Int) -> Int {
        let t = a &* b &+ 128
        return ((t >> 8) &+ t) >> 8
    }
}
