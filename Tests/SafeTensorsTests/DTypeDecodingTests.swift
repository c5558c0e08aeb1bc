import ConvNeXtKernels
import Foundation
import SafeTensors
import Testing

/// Non-F32 dtypes in hand-built files decode to the expected `Float` values.
@Suite struct DTypeDecodingTests {
    /// Reads tensor `t` of `dtype` holding `data`, placed after one padding byte so its
    /// data starts at an odd (unaligned) offset.
    private func decode(_ dtype: String, shape: [Int], data: [UInt8]) throws -> Tensor {
        try withTemporaryDirectory { directory in
            let shapeText = shape.map(String.init).joined(separator: ",")
            let header = """
                {"pad": {"dtype": "U8", "shape": [1], "data_offsets": [0, 1]},
                 "t": {"dtype": "\(dtype)", "shape": [\(shapeText)], "data_offsets": [1, \(1 + data.count)]}}
                """
            let url = try writeFile(safetensorsBytes(header: header, data: [0xAB] + data), named: "t.safetensors", in: directory)
            let file = try SafeTensorsFile(contentsOf: url)
            #expect(file.info("t") == TensorInfo(dtype: DType(name: dtype), shape: shape))
            return try file.tensor("t")
        }
    }

    @Test func float16() throws {
        let cases: [(bits: UInt16, value: Float)] = [
            (0x0000, 0), (0x3C00, 1), (0xC000, -2), (0x3555, 0.333251953125), (0x7BFF, 65504),
            (0x0400, 0x1p-14),  // smallest normal
            (0x0001, 0x1p-24),  // smallest subnormal
            (0x03FF, 1023 * 0x1p-24),  // largest subnormal
            (0x8001, -0x1p-24), (0x7C00, .infinity), (0xFC00, -.infinity),
        ]
        let tensor = try decode("F16", shape: [cases.count], data: cases.flatMap { littleEndianBytes($0.bits) })
        #expect(tensor.scalars == cases.map(\.value))
    }

    @Test func float16SignedZeroAndNaN() throws {
        let tensor = try decode("F16", shape: [3], data: [UInt16(0x8000), 0x7E00, 0xFE01].flatMap(littleEndianBytes))
        #expect(tensor.scalars[0] == 0 && tensor.scalars[0].sign == .minus)
        #expect(tensor.scalars[1].isNaN)
        #expect(tensor.scalars[2].isNaN)
    }

    #if os(Linux) || arch(arm64)
    @Test func float16MatchesTheStandardLibraryForEveryBitPattern() throws {
        let patterns = (0...UInt16.max).map { $0 }
        let tensor = try decode("F16", shape: [256, 256], data: patterns.flatMap(littleEndianBytes))
        for (bits, decoded) in zip(patterns, tensor.scalars) {
            let expected = Float(Float16(bitPattern: bits))
            if expected.isNaN {
                #expect(decoded.isNaN, "bits \(bits)")
            } else {
                #expect(decoded.bitPattern == expected.bitPattern, "bits \(bits)")
            }
        }
    }
    #endif

    @Test func bfloat16() throws {
        let cases: [(bits: UInt16, value: Float)] = [
            (0x0000, 0), (0x3F80, 1), (0xC040, -3), (0x4049, 3.140625), (0x3E80, 0.25),
            (0x7F80, .infinity), (0xFF80, -.infinity),
            (0x0001, Float(bitPattern: 0x0001_0000)),  // smallest subnormal
            (0x7F7F, Float(bitPattern: 0x7F7F_0000)),  // largest finite
        ]
        let tensor = try decode("BF16", shape: [3, 3], data: cases.flatMap { littleEndianBytes($0.bits) })
        #expect(tensor.shape == [3, 3])
        #expect(tensor.scalars == cases.map(\.value))
        #expect(try decode("BF16", shape: [], data: littleEndianBytes(UInt16(0x7FC0))).scalars[0].isNaN)
    }

    @Test func float64() throws {
        let values: [Double] = [1.5, -2.25, 0.1, 1e300, -1e-300, 3.0e38]
        let tensor = try decode("F64", shape: [2, 3], data: values.flatMap { littleEndianBytes($0.bitPattern) })
        #expect(tensor.scalars == [1.5, -2.25, Float(0.1), .infinity, -0.0, 3.0e38])
    }

    @Test func signedIntegers() throws {
        #expect(try decode("I64", shape: [3], data: [Int64(-5), 1 << 40, .max].flatMap(littleEndianBytes)).scalars
            == [-5, 0x1p40, 0x1p63])
        #expect(try decode("I32", shape: [2], data: [Int32(-70000), 123].flatMap(littleEndianBytes)).scalars == [-70000, 123])
        #expect(try decode("I16", shape: [2], data: [Int16(-300), .max].flatMap(littleEndianBytes)).scalars == [-300, 32767])
        #expect(try decode("I8", shape: [3], data: [0x80, 0x7F, 0xFF]).scalars == [-128, 127, -1])
    }

    @Test func unsignedIntegersAndBool() throws {
        #expect(try decode("U64", shape: [1], data: littleEndianBytes(UInt64(1) << 50)).scalars == [0x1p50])
        #expect(try decode("U32", shape: [1], data: littleEndianBytes(UInt32.max)).scalars == [Float(UInt32.max)])
        #expect(try decode("U16", shape: [2], data: [UInt16(65535), 7].flatMap(littleEndianBytes)).scalars == [65535, 7])
        #expect(try decode("U8", shape: [3], data: [0, 128, 255]).scalars == [0, 128, 255])
        #expect(try decode("BOOL", shape: [3], data: [0, 1, 2]).scalars == [0, 1, 1])
    }

    @Test func float32AtUnalignedOffset() throws {
        let values: [Float] = [1, -0.5, .pi]
        let tensor = try decode("F32", shape: [3], data: values.flatMap { littleEndianBytes($0.bitPattern) })
        #expect(tensor.scalars == values)
    }

    @Test func dtypeNames() {
        for name in ["F64", "F32", "F16", "BF16", "I64", "I32", "I16", "I8", "U64", "U32", "U16", "U8", "BOOL"] {
            #expect(DType(name: name).name == name)
            #expect(DType(name: name).byteWidth != nil)
        }
        #expect(DType(name: "F8_E5M2") == .other("F8_E5M2"))
        #expect(DType(name: "F8_E5M2").byteWidth == nil)
    }
}
