import CImageCodecs

/// The layout of a PNG's raw samples and the rules by which Pillow turns them into RGB.
///
/// Pillow opens PNGs in these modes and `convert("RGB")` then gives:
/// - gray 1-bit: mode "1", bits become 0 or 255; gray 2/4-bit: mode "L", scaled by 85 or 17;
/// - gray 16-bit: mode "I;16", and the conversion clamps values above 255 to 255
///   (it does not keep the high byte);
/// - RGB, RGBA and gray + alpha at 16 bits: the high byte of each sample;
/// - palette: the PLTE colour, black for indices past its end (tRNS is ignored);
/// - alpha is dropped, never composited.
struct PNGSampleFormat: Sendable {
    enum Kind: Sendable {
        case gray, rgb, palette, grayAlpha, rgba

        var channels: Int {
            switch self {
            case .gray, .palette: return 1
            case .grayAlpha: return 2
            case .rgb: return 3
            case .rgba: return 4
            }
        }
    }

    let kind: Kind
    let bitDepth: Int
    /// 256 RGB entries, black beyond the PLTE's entries.
    let palette: [UInt8]

    init?(_ info: cic_png_info) {
        bitDepth = Int(info.bit_depth)
        switch (info.color_type, bitDepth) {
        case (0, 1), (0, 2), (0, 4), (0, 8), (0, 16): kind = .gray
        case (2, 8), (2, 16): kind = .rgb
        case (3, 1), (3, 2), (3, 4), (3, 8): kind = .palette
        case (4, 8), (4, 16): kind = .grayAlpha
        case (6, 8), (6, 16): kind = .rgba
        default: return nil
        }
        var table = [UInt8](repeating: 0, count: 256 * 3)
        if kind == .palette {
            withUnsafeBytes(of: info.palette) { entries in
                for index in 0..<(Int(info.palette_count) * 3) { table[index] = entries[index] }
            }
        }
        palette = table
    }

    /// Whether the raw rows are already 8-bit RGB.
    var isRGB8: Bool { kind == .rgb && bitDepth == 8 }

    /// Bytes in one raw row of `width` pixels.
    func rowBytes(width: Int) -> Int {
        (width * kind.channels * bitDepth + 7) / 8
    }

    /// Writes `width` RGB triples to `output` from one raw row.
    func convertRow(_ input: UnsafePointer<UInt8>, width: Int, into output: UnsafeMutablePointer<UInt8>) {
        switch kind {
        case .gray where bitDepth == 16:
            for x in 0..<width {
                let value = Int(input[x &* 2]) << 8 | Int(input[x &* 2 &+ 1])
                fill(output, x, UInt8(truncatingIfNeeded: Swift.min(value, 255)))
            }
        case .gray:
            // Pillow's unpackers scale 1/2/4-bit gray to 0...255 (the 1-bit "1" mode likewise).
            let scale = UInt8(255 / ((1 << bitDepth) - 1))
            for x in 0..<width { fill(output, x, packedSample(input, x) &* scale) }
        case .palette:
            palette.withUnsafeBufferPointer { table in
                for x in 0..<width {
                    let entry = Int(packedSample(input, x)) &* 3
                    output[x &* 3] = table[entry]
                    output[x &* 3 &+ 1] = table[entry &+ 1]
                    output[x &* 3 &+ 2] = table[entry &+ 2]
                }
            }
        case .grayAlpha:
            let stride = 2 &* (bitDepth / 8)
            for x in 0..<width { fill(output, x, input[x &* stride]) }
        case .rgb, .rgba:
            // Big-endian 16-bit samples: the high byte comes first.
            let sampleBytes = bitDepth / 8
            let stride = kind.channels &* sampleBytes
            for x in 0..<width {
                let pixel = input + x &* stride
                output[x &* 3] = pixel[0]
                output[x &* 3 &+ 1] = pixel[sampleBytes]
                output[x &* 3 &+ 2] = pixel[2 &* sampleBytes]
            }
        }
    }

    /// The `x`th sample of a row packed at `bitDepth` <= 8 bits, most significant bits first.
    @inline(__always)
    private func packedSample(_ row: UnsafePointer<UInt8>, _ x: Int) -> UInt8 {
        if bitDepth == 8 { return row[x] }
        let bitOffset = x &* bitDepth
        let shift = 8 &- bitDepth &- (bitOffset & 7)
        return (row[bitOffset >> 3] >> UInt8(shift)) & UInt8((1 << bitDepth) - 1)
    }

    @inline(__always)
    private func fill(_ output: UnsafeMutablePointer<UInt8>, _ x: Int, _ value: UInt8) {
        output[x &* 3] = value
        output[x &* 3 &+ 1] = value
        output[x &* 3 &+ 2] = value
    }
}
