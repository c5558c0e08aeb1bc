/// The parsed `model.safetensors.index.json` of a sharded checkpoint:
/// `{"metadata": {...}, "weight_map": {tensorName: shardFileName}}`.
struct CheckpointIndex: Sendable {
    /// The scalar entries of `metadata`, as text (numbers keep their literal spelling).
    let metadata: [String: String]
    /// The shard file name holding each tensor.
    let weightMap: [String: String]

    /// Reads and validates the index at `path`.
    ///
    /// Shard names must be plain file names (no path separators, not `.` or `..`), so an index
    /// cannot point outside its folder.
    static func load(path: String) throws(SafeTensorsError) -> CheckpointIndex {
        let file = try MappedFile(path: path)
        guard file.byteCount <= SafeTensorsFile.maximumHeaderLength else {
            throw .invalidIndex(path: path, detail: "\(file.byteCount) bytes is larger than the limit of \(SafeTensorsFile.maximumHeaderLength)")
        }
        let json: JSONValue
        do {
            json = try JSONParser.parse(file.bytes)
        } catch {
            throw .invalidIndex(path: path, detail: error.description)
        }
        guard case .object = json else { throw .invalidIndex(path: path, detail: "expected a JSON object, found \(json.kindDescription)") }
        guard case .object(let entries)? = json["weight_map"] else {
            throw .invalidIndex(path: path, detail: "'weight_map' must be an object")
        }

        var weightMap: [String: String] = [:]
        for (tensor, value) in entries {
            guard case .string(let shard) = value else {
                throw .invalidIndex(path: path, detail: "shard of tensor '\(tensor)' must be a string, found \(value.kindDescription)")
            }
            guard isPlainFileName(shard) else {
                throw .invalidIndex(path: path, detail: "shard '\(shard)' of tensor '\(tensor)' is not a plain file name in the checkpoint folder")
            }
            guard weightMap.updateValue(shard, forKey: tensor) == nil else { throw .duplicateTensor(path: path, tensor: tensor) }
        }
        return CheckpointIndex(metadata: scalarMetadata(json["metadata"]), weightMap: weightMap)
    }

    /// Whether `name` names a file directly inside a folder.
    static func isPlainFileName(_ name: String) -> Bool {
        !name.isEmpty && name != "." && name != ".." && !name.contains { $0 == "/" || $0 == "\\" || $0 == "\0" }
    }

    /// The string, number and boolean members of `value` as text; other members are skipped.
    private static func scalarMetadata(_ value: JSONValue?) -> [String: String] {
        guard case .object(let members)? = value else { return [:] }
        var metadata: [String: String] = [:]
        for (key, value) in members {
            switch value {
            case .string(let text), .number(let text): metadata[key] = text
            case .bool(let flag): metadata[key] = String(flag)
            case .null, .array, .object: break
            }
        }
        return metadata
    }
}
