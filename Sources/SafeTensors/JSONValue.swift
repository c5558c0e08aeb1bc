/// A parsed JSON value, as produced by ``JSONParser``.
///
/// Objects keep their members in document order, duplicates included, so callers can
/// reject duplicate keys. Numbers keep their literal text so integers of any size are
/// checked exactly rather than through a lossy `Double`.
enum JSONValue: Sendable {
    case null
    case bool(Bool)
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([(key: String, value: JSONValue)])

    /// The value as a non-negative `Int`, if it is an integer literal (no fraction or
    /// exponent) that fits; `nil` otherwise.
    var nonNegativeInteger: Int? {
        guard case .number(let text) = self, let value = Int(text), value >= 0 else { return nil }
        return value
    }

    /// A short description of the value's kind for error messages.
    var kindDescription: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number(let text): "the number \(text)"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// The value of the first member named `key`, if this is an object that has one.
    subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }
}
