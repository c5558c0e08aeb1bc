import ConvNeXtKernels
import Foundation
import SafeTensors

/// A private folder for the inputs that the file-based APIs read from disk, in memory-backed
/// `/dev/shm` where there is one. Removed when the value is released.
final class FuzzScratchFolder {
    /// The folder.
    let url: URL
    /// The shards that sharded-index inputs can refer to, and the tensors they hold.
    static let shards = [
        "model-00001-of-00002.safetensors": ["convnext.embeddings.patch_embeddings.weight": [2, 3, 1, 1]],
        "model-00002-of-00002.safetensors": ["classifier.weight": [3, 2], "classifier.bias": [3]],
    ]
    private var shardsWritten = false

    init() throws {
        let memoryBacked = URL(fileURLWithPath: "/dev/shm")
        let parent = FileManager.default.isWritableFile(atPath: memoryBacked.path) ? memoryBacked : FileManager.default.temporaryDirectory
        url = parent.appendingPathComponent("convnext-fuzz-\(getpid())-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// Writes `data` to the file `name` in the folder and returns its location.
    func write(_ data: Data, as name: String) throws -> URL {
        let file = url.appendingPathComponent(name)
        try data.write(to: file)
        return file
    }

    /// Writes the valid shards of ``shards`` once.
    func ensureShards() throws {
        guard !shardsWritten else { return }
        for (name, tensors) in Self.shards {
            var values: [String: Tensor] = [:]
            for (tensor, shape) in tensors {
                let count = shape.reduce(1, *)
                values[tensor] = Tensor(shape: shape, scalars: (0..<count).map { Float($0) / 4 })
            }
            try writeSafeTensors(values, to: url.appendingPathComponent(name))
        }
        shardsWritten = true
    }
}
