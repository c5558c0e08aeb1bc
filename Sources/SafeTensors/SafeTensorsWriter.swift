import ConvNeXtKernels
import Foundation

/// Writes `tensors` to a safetensors file at `url`, as little-endian `F32`.
///
/// The header lists `__metadata__` (when `metadata` is given) and then the tensors in sorted
/// name order, and is padded with spaces to a multiple of 8 bytes so the data buffer starts
/// aligned; the data follows in the same sorted order. The write is atomic: the file is
/// assembled in a temporary file in the same directory, synced to disk and renamed over
/// `url`, so `url` never holds a partial file and an existing file is replaced only on success.
///
/// - Throws: ``SafeTensorsError/writeFailed(path:reason:)`` if the file cannot be written
///   (the destination is then untouched) or a tensor is named `__metadata__`.
public func writeSafeTensors(_ tensors: [String: Tensor], metadata: [String: String]? = nil, to url: URL) throws(SafeTensorsError) {
    guard tensors[SafeTensorsHeader.metadataKey] == nil else {
        throw .writeFailed(path: url.path, reason: "'\(SafeTensorsHeader.metadataKey)' is reserved and cannot name a tensor")
    }
    let sorted = tensors.sorted { $0.key < $1.key }
    let prefix = encodePrefix(sorted, metadata: metadata)

    try AtomicFileWriter.write(to: url) { sink throws(SafeTensorsError) in
        try sink.write(prefix)
        for (_, tensor) in sorted {
            try writeLittleEndianFloats(of: tensor, to: sink)
        }
    }
}

/// The bytes before the data buffer: the little-endian header length, then the JSON header
/// for `tensors` (in the given order), padded with spaces to a multiple of 8 bytes.
private func encodePrefix(_ tensors: [(key: String, value: Tensor)], metadata: [String: String]?) -> [UInt8] {
    var members: [String] = []
    if let metadata {
        let pairs = metadata.sorted { $0.key < $1.key }.map { "\(jsonQuoted($0.key)):\(jsonQuoted($0.value))" }
        members.append("\(jsonQuoted(SafeTensorsHeader.metadataKey)):{\(pairs.joined(separator: ","))}")
    }
    var offset = 0
    for (name, tensor) in tensors {
        let end = offset + tensor.count * MemoryLayout<Float>.size
        let shape = tensor.shape.map(String.init).joined(separator: ",")
        members.append("\(jsonQuoted(name)):{\"dtype\":\"F32\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(end)]}")
        offset = end
    }
    var json = Array("{\(members.joined(separator: ","))}".utf8)
    json.append(contentsOf: repeatElement(UInt8(ascii: " "), count: (8 - json.count % 8) % 8))
    let length = UInt64(json.count)
    return (0..<8).map { UInt8(truncatingIfNeeded: length >> (8 * $0)) } + json
}

/// Writes the scalars of `tensor` as little-endian `Float` bits.
private func writeLittleEndianFloats(of tensor: Tensor, to sink: AtomicFileWriter.Sink) throws(SafeTensorsError) {
    try tensor.withUnsafeBufferPointer { scalars in
        Result { () throws(SafeTensorsError) in
            #if _endian(little)
            try sink.write(UnsafeRawBufferPointer(scalars))
            #else
            let chunkSize = 1 << 16
            for start in stride(from: 0, to: scalars.count, by: chunkSize) {
                let chunk = scalars[start..<min(start + chunkSize, scalars.count)]
                try sink.write(chunk.flatMap { value in
                    (0..<4).map { UInt8(truncatingIfNeeded: value.bitPattern >> (8 * $0)) }
                })
            }
            #endif
        }
    }.get()
}
