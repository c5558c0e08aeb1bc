import ConvNeXtKernels
import Foundation

/// The weights of a model checkpoint: one safetensors file, or several shards joined by an index.
///
/// Given a folder, the weights come from `model.safetensors.index.json` if present (a sharded
/// checkpoint), else from `model.safetensors`. A URL of a `.safetensors` file or of an
/// `.index.json` file is used directly. All files are opened and validated up front.
public final class CheckpointWeights: Sendable {
    /// The index file name of a sharded checkpoint.
    public static let indexFileName = "model.safetensors.index.json"

    /// The file name of an unsharded checkpoint.
    public static let singleFileName = "model.safetensors"

    /// The file that defines the tensor list: the index of a sharded checkpoint, else the
    /// safetensors file. Errors about missing tensors name it.
    public let sourceURL: URL

    /// The names of all tensors, sorted.
    public let tensorNames: [String]

    /// The index's `metadata` (scalars as text) for a sharded checkpoint, else the file's
    /// `__metadata__`.
    public let metadata: [String: String]

    private let files: [SafeTensorsFile]
    private let fileIndexByTensor: [String: Int]

    /// Opens the checkpoint at `url`: a model folder, a safetensors file or an index file.
    ///
    /// - Throws: ``SafeTensorsError/noWeights(directory:)`` for a folder with neither file,
    ///   ``SafeTensorsError/invalidIndex(path:detail:)`` for a malformed index (including
    ///   shard names that are not plain file names), ``SafeTensorsError/missingShard(indexPath:shard:)``,
    ///   ``SafeTensorsError/missingTensor(name:path:)`` naming a tensor absent from its
    ///   shard, or any error from opening a file.
    public init(contentsOf url: URL) throws(SafeTensorsError) {
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory)
        let indexURL: URL?
        let fileURL: URL
        if exists && isDirectory.boolValue {
            let candidateIndex = url.appendingPathComponent(Self.indexFileName)
            let candidateFile = url.appendingPathComponent(Self.singleFileName)
            if FileManager.default.fileExists(atPath: candidateIndex.path) {
                (indexURL, fileURL) = (candidateIndex, candidateIndex)
            } else if FileManager.default.fileExists(atPath: candidateFile.path) {
                (indexURL, fileURL) = (nil, candidateFile)
            } else {
                throw .noWeights(directory: url.path)
            }
        } else {
            (indexURL, fileURL) = (url.lastPathComponent.hasSuffix(".index.json") ? url : nil, url)
        }

        sourceURL = fileURL
        if let indexURL {
            (files, fileIndexByTensor, metadata) = try Self.openShards(indexURL: indexURL)
            tensorNames = fileIndexByTensor.keys.sorted()
        } else {
            let file = try SafeTensorsFile(contentsOf: fileURL)
            files = [file]
            fileIndexByTensor = Dictionary(uniqueKeysWithValues: file.tensorNames.map { ($0, 0) })
            metadata = file.metadata
            tensorNames = file.tensorNames
        }
    }

    /// Opens every shard named by the index at `indexURL` and checks that each holds its tensors.
    private static func openShards(indexURL: URL) throws(SafeTensorsError) -> ([SafeTensorsFile], [String: Int], [String: String]) {
        let indexPath = indexURL.path
        let index = try CheckpointIndex.load(path: indexPath)
        let folder = indexURL.deletingLastPathComponent()

        var files: [SafeTensorsFile] = []
        var fileIndexByShard: [String: Int] = [:]
        for shard in Set(index.weightMap.values).sorted() {
            let shardURL = folder.appendingPathComponent(shard)
            guard FileManager.default.fileExists(atPath: shardURL.path) else {
                throw .missingShard(indexPath: indexPath, shard: shard)
            }
            fileIndexByShard[shard] = files.count
            files.append(try SafeTensorsFile(contentsOf: shardURL))
        }

        var fileIndexByTensor: [String: Int] = [:]
        for (tensor, shard) in index.weightMap.sorted(by: { $0.key < $1.key }) {
            guard let fileIndex = fileIndexByShard[shard], files[fileIndex].contains(tensor) else {
                throw .missingTensor(name: tensor, path: folder.appendingPathComponent(shard).path)
            }
            fileIndexByTensor[tensor] = fileIndex
        }
        return (files, fileIndexByTensor, index.metadata)
    }

    /// The dtype and shape of the tensor called `name`, or `nil` if the checkpoint has none.
    public func info(_ name: String) -> TensorInfo? {
        fileIndexByTensor[name].flatMap { files[$0].info(name) }
    }

    /// The tensor called `name`, converted to `Float`.
    ///
    /// - Throws: ``SafeTensorsError/missingTensor(name:path:)`` naming ``sourceURL`` if there
    ///   is no such tensor, ``SafeTensorsError/unsupportedDType(path:tensor:dtype:)`` if its
    ///   dtype cannot be converted.
    public func tensor(_ name: String) throws(SafeTensorsError) -> Tensor {
        guard let fileIndex = fileIndexByTensor[name] else { throw .missingTensor(name: name, path: sourceURL.path) }
        return try files[fileIndex].tensor(name)
    }

    /// Lets the system reclaim the memory of the tensor data read so far, in every shard; see
    /// ``SafeTensorsFile/releaseResidentPages()``.
    public func releaseResidentPages() { files.forEach { $0.releaseResidentPages() } }
}
