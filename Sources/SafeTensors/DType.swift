/// The element type of a tensor stored in a safetensors file.
///
/// Every named case can be read and converted to `Float`. Any other dtype string is kept as
/// ``other(_:)``: such a tensor is listed and described, but reading it throws
/// ``SafeTensorsError/unsupportedDType(path:tensor:dtype:)``.
public enum DType: Hashable, Sendable {
    /// IEEE 754 double precision.
    case f64
    /// IEEE 754 single precision.
    case f32
    /// IEEE 754 half precision.
    case f16
    /// bfloat16: the upper 16 bits of a single-precision float.
    case bf16
    /// Signed 64-bit integer.
    case i64
    /// Signed 32-bit integer.
    case i32
    /// Signed 16-bit integer.
    case i16
    /// Signed 8-bit integer.
    case i8
    /// Unsigned 64-bit integer.
    case u64
    /// Unsigned 32-bit integer.
    case u32
    /// Unsigned 16-bit integer.
    case u16
    /// Unsigned 8-bit integer.
    case u8
    /// One byte per element; zero is `false`, anything else `true`.
    case bool
    /// A dtype this library cannot convert, with its name as written in the header.
    case other(String)

    /// The dtype spelled `name` in a safetensors header, such as `"F32"` or `"BF16"`.
    public init(name: String) {
        switch name {
        case "F64": self = .f64
        case "F32": self = .f32
        case "F16": self = .f16
        case "BF16": self = .bf16
        case "I64": self = .i64
        case "I32": self = .i32
        case "I16": self = .i16
        case "I8": self = .i8
        case "U64": self = .u64
        case "U32": self = .u32
        case "U16": self = .u16
        case "U8": self = .u8
        case "BOOL": self = .bool
        default: self = .other(name)
        }
    }

    /// The spelling of this dtype in a safetensors header.
    public var name: String {
        switch self {
        case .f64: "F64"
        case .f32: "F32"
        case .f16: "F16"
        case .bf16: "BF16"
        case .i64: "I64"
        case .i32: "I32"
        case .i16: "I16"
        case .i8: "I8"
        case .u64: "U64"
        case .u32: "U32"
        case .u16: "U16"
        case .u8: "U8"
        case .bool: "BOOL"
        case .other(let name): name
        }
    }

    /// The size of one element in bytes, or `nil` for ``other(_:)``.
    public var byteWidth: Int? {
        switch self {
        case .f64, .i64, .u64: 8
        case .f32, .i32, .u32: 4
        case .f16, .bf16, .i16, .u16: 2
        case .i8, .u8, .bool: 1
        case .other: nil
        }
    }
}

extension DType: CustomStringConvertible {
    /// The header spelling, as ``name``.
    public var description: String { name }
}
