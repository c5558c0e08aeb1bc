/// Conversion of little-endian stored elements to `Float`.
///
/// Sources need not be aligned: every element is read with an unaligned load.
enum ScalarConversion {
    /// Converts `count` little-endian elements of `dtype` at `source` into `destination`.
    typealias Converter = (_ source: UnsafeRawPointer, _ count: Int, _ destination: UnsafeMutablePointer<Float>) -> Void

    /// The converter for `dtype`, or `nil` if it cannot be converted to `Float`.
    static func converter(for dtype: DType) -> Converter? {
        switch dtype {
        case .f32: convertFloat32
        case .f16: { convertEach($0, $1, $2, as: UInt16.self, floatFromHalf) }
        case .bf16: { convertEach($0, $1, $2, as: UInt16.self, floatFromBFloat16) }
        case .f64: { convertEach($0, $1, $2, as: UInt64.self) { Float(Double(bitPattern: $0)) } }
        case .i64: { convertEach($0, $1, $2, as: Int64.self) { Float($0) } }
        case .i32: { convertEach($0, $1, $2, as: Int32.self) { Float($0) } }
        case .i16: { convertEach($0, $1, $2, as: Int16.self) { Float($0) } }
        case .i8: { convertEach($0, $1, $2, as: Int8.self) { Float($0) } }
        case .u64: { convertEach($0, $1, $2, as: UInt64.self) { Float($0) } }
        case .u32: { convertEach($0, $1, $2, as: UInt32.self) { Float($0) } }
        case .u16: { convertEach($0, $1, $2, as: UInt16.self) { Float($0) } }
        case .u8: { convertEach($0, $1, $2, as: UInt8.self) { Float($0) } }
        case .bool: { convertEach($0, $1, $2, as: UInt8.self) { $0 == 0 ? 0 : 1 } }
        case .other: nil
        }
    }

    /// The `Float` value of IEEE 754 half-precision bits, exact for every input: subnormals,
    /// signed zeros, infinities and NaNs (payload kept) included.
    @inline(__always)
    static func floatFromHalf(_ bits: UInt16) -> Float {
        let sign = UInt32(bits & 0x8000) << 16
        let exponent = UInt32(bits >> 10) & 0x1F
        let mantissa = UInt32(bits & 0x03FF)
        if exponent == 0x1F {
            return Float(bitPattern: sign | 0x7F80_0000 | mantissa << 13)
        }
        if exponent == 0 {
            // Zero or subnormal: mantissa × 2⁻²⁴, exactly representable in Float.
            let magnitude = Float(mantissa) * 0x1p-24
            return sign == 0 ? magnitude : -magnitude
        }
        // Rebias the exponent from 15 to 127.
        return Float(bitPattern: sign | (exponent + 112) << 23 | mantissa << 13)
    }

    /// The `Float` value of bfloat16 bits, which are the upper half of a `Float`'s bits.
    @inline(__always)
    static func floatFromBFloat16(_ bits: UInt16) -> Float {
        Float(bitPattern: UInt32(bits) << 16)
    }

    private static func convertFloat32(_ source: UnsafeRawPointer, _ count: Int, _ destination: UnsafeMutablePointer<Float>) {
        #if _endian(little)
        UnsafeMutableRawPointer(destination).copyMemory(from: source, byteCount: count * MemoryLayout<Float>.size)
        #else
        convertEach(source, count, destination, as: UInt32.self) { Float(bitPattern: $0) }
        #endif
    }

    @inline(__always)
    private static func convertEach<Stored: FixedWidthInteger>(
        _ source: UnsafeRawPointer, _ count: Int, _ destination: UnsafeMutablePointer<Float>,
        as _: Stored.Type, _ transform: (Stored) -> Float
    ) {
        let stride = MemoryLayout<Stored>.size
        for index in 0..<count {
            let stored = source.loadUnaligned(fromByteOffset: index &* stride, as: Stored.self)
            destination[index] = transform(Stored(littleEndian: stored))
        }
    }
}
