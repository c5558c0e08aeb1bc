/// Where a tensor's data lies, relative to the start of the data buffer.
struct TensorEntry: Sendable {
    let info: TensorInfo
    let begin: Int
    let end: Int
}

/// The parsed and validated header of a safetensors file.
struct SafeTensorsHeader: Sendable {
    /// The tensors by name.
    let entries: [String: TensorEntry]
    /// The string pairs of the optional `__metadata__` entry.
    let metadata: [String: String]
    /// The file offset of the data buffer: 8 plus the header length.
    let dataStart: Int

    /// The reserved header key holding metadata instead of a tensor.
    static let metadataKey = "__metadata__"

    /// Parses and validates the header of the safetensors file whose bytes are `file`.
    ///
    /// Validation covers everything that can be checked without converting data: the header
    /// length, the JSON, every entry's fields, shape/size agreement (for known dtypes), bounds
    /// and the absence of overlap between tensors. Gaps between tensors are tolerated.
    static func parse(file: UnsafeRawBufferPointer, path: String, maximumLength: Int,
                      maximumTensorCount: Int = SafeTensorsFile.maximumTensorCount) throws(SafeTensorsError) -> SafeTensorsHeader {
        guard file.count >= 8 else { throw .truncated(path: path, fileSize: file.count) }
        let headerLength = UInt64(littleEndian: file.loadUnaligned(as: UInt64.self))
        guard headerLength <= UInt64(maximumLength) else {
            throw .headerTooLarge(path: path, headerLength: headerLength, limit: maximumLength)
        }
        let dataStart = 8 + Int(headerLength)
        guard dataStart <= file.count else {
            throw .headerLengthPastEnd(path: path, headerLength: headerLength, fileSize: file.count)
        }

        let json: JSONValue
        do {
            json = try JSONParser.parse(UnsafeRawBufferPointer(rebasing: file[8..<dataStart]))
        } catch {
            throw .invalidHeaderJSON(path: path, detail: error.description)
        }
        guard case .object(let members) = json else {
            throw .invalidHeaderJSON(path: path, detail: "expected a JSON object, found \(json.kindDescription)")
        }
        let tensorCount = members.reduce(0) { $0 + ($1.key == metadataKey ? 0 : 1) }
        guard tensorCount <= maximumTensorCount else {
            throw .tooManyTensors(path: path, count: tensorCount, limit: maximumTensorCount)
        }

        let bufferSize = file.count - dataStart
        var entries: [String: TensorEntry] = [:]
        var metadata: [String: String]?
        for (name, value) in members {
            if name == metadataKey {
                guard metadata == nil else { throw .duplicateTensor(path: path, tensor: name) }
                metadata = try parseMetadata(value, path: path)
                continue
            }
            guard entries[name] == nil else { throw .duplicateTensor(path: path, tensor: name) }
            entries[name] = try parseEntry(value, name: name, path: path, bufferSize: bufferSize)
        }
        try checkNoOverlap(entries, path: path)
        return SafeTensorsHeader(entries: entries, metadata: metadata ?? [:], dataStart: dataStart)
    }

    private static func parseMetadata(_ value: JSONValue, path: String) throws(SafeTensorsError) -> [String: String] {
        guard case .object(let members) = value else {
            throw .invalidHeaderJSON(path: path, detail: "\(metadataKey) must be an object, found \(value.kindDescription)")
        }
        var metadata: [String: String] = [:]
        for (key, value) in members {
            guard case .string(let string) = value else {
                throw .invalidHeaderJSON(path: path, detail: "\(metadataKey) value for '\(key)' must be a string, found \(value.kindDescription)")
            }
            metadata[key] = string
        }
        return metadata
    }

    private static func parseEntry(_ value: JSONValue, name: String, path: String, bufferSize: Int) throws(SafeTensorsError) -> TensorEntry {
        func invalid(_ detail: String) -> SafeTensorsError { .invalidEntry(path: path, tensor: name, detail: detail) }

        guard case .object = value else { throw invalid("expected an object, found \(value.kindDescription)") }
        guard case .string(let dtypeName)? = value["dtype"] else { throw invalid("'dtype' must be a string") }
        let shape = try nonNegativeIntegers(value["shape"], field: "shape", invalid: invalid)
        let offsets = try nonNegativeIntegers(value["data_offsets"], field: "data_offsets", invalid: invalid)
        guard offsets.count == 2 else { throw invalid("'data_offsets' must hold exactly two integers, found \(offsets.count)") }
        let (begin, end) = (offsets[0], offsets[1])
        guard begin <= end else { throw invalid("'data_offsets' begin \(begin) is past end \(end)") }
        guard end <= bufferSize else {
            throw .offsetsOutOfBounds(path: path, tensor: name, begin: begin, end: end, bufferSize: bufferSize)
        }

        var scalarCount = 1
        for extent in shape {
            let (product, overflow) = scalarCount.multipliedReportingOverflow(by: extent)
            guard !overflow else { throw invalid("shape \(shape) has too many elements") }
            scalarCount = product
        }
        let dtype = DType(name: dtypeName)
        if let byteWidth = dtype.byteWidth {
            let (byteCount, overflow) = scalarCount.multipliedReportingOverflow(by: byteWidth)
            guard !overflow else { throw invalid("shape \(shape) of \(dtypeName) has too many bytes") }
            guard byteCount == end - begin else {
                throw .sizeMismatch(path: path, tensor: name, expectedBytes: byteCount, actualBytes: end - begin)
            }
        }
        return TensorEntry(info: TensorInfo(dtype: dtype, shape: shape), begin: begin, end: end)
    }

    private static func nonNegativeIntegers(
        _ value: JSONValue?, field: String, invalid: (String) -> SafeTensorsError
    ) throws(SafeTensorsError) -> [Int] {
        guard let value else { throw invalid("missing '\(field)'") }
        guard case .array(let elements) = value else { throw invalid("'\(field)' must be an array, found \(value.kindDescription)") }
        var integers: [Int] = []
        integers.reserveCapacity(elements.count)
        for element in elements {
            guard let integer = element.nonNegativeInteger else {
                throw invalid("'\(field)' must hold non-negative integers, found \(element.kindDescription)")
            }
            integers.append(integer)
        }
        return integers
    }

    /// Throws if the data of any two tensors overlap. Empty tensors occupy no bytes.
    private static func checkNoOverlap(_ entries: [String: TensorEntry], path: String) throws(SafeTensorsError) {
        let occupied = entries.filter { $0.value.begin < $0.value.end }
            .sorted { ($0.value.begin, $0.key) < ($1.value.begin, $1.key) }
        for (previous, next) in zip(occupied, occupied.dropFirst()) where next.value.begin < previous.value.end {
            throw .overlappingOffsets(path: path, first: previous.key, second: next.key)
        }
    }
}
