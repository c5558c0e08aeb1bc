import ConvNeXtKernels
import Foundation
import SafeTensors
import Testing

/// `CheckpointWeights` opens single-file and sharded checkpoints and rejects bad indexes.
@Suite struct CheckpointWeightsTests {
    private let first = ["stem.weight": Tensor(shape: [2, 2], scalars: [1, 2, 3, 4])]
    private let second = ["head.bias": Tensor(shape: [3], scalars: [5, 6, 7]), "norm.weight": Tensor(shape: [], scalars: [8])]

    /// Writes two shards and an index with the given weight map (by default, the right one).
    private func writeShardedCheckpoint(in directory: URL, index: String? = nil) throws -> URL {
        try writeSafeTensors(first, to: directory.appendingPathComponent("model-00001-of-00002.safetensors"))
        try writeSafeTensors(second, to: directory.appendingPathComponent("model-00002-of-00002.safetensors"))
        let defaultIndex = """
            {"metadata": {"total_size": 36, "format": "pt", "nested": {"x": 1}},
             "weight_map": {"stem.weight": "model-00001-of-00002.safetensors",
                            "head.bias": "model-00002-of-00002.safetensors",
                            "norm.weight": "model-00002-of-00002.safetensors"}}
            """
        return try writeFile(Array((index ?? defaultIndex).utf8), named: CheckpointWeights.indexFileName, in: directory)
    }

    private func weightMapIndex(_ entries: String) -> String {
        #"{"weight_map": {\#(entries)}}"#
    }

    @Test func shardedFolderExposesTheUnion() throws {
        try withTemporaryDirectory { directory in
            let indexURL = try writeShardedCheckpoint(in: directory)
            let weights = try CheckpointWeights(contentsOf: directory)
            #expect(weights.sourceURL.path == indexURL.path)
            #expect(weights.tensorNames == ["head.bias", "norm.weight", "stem.weight"])
            #expect(weights.metadata == ["total_size": "36", "format": "pt"])
            #expect(weights.info("head.bias") == TensorInfo(dtype: .f32, shape: [3]))
            #expect(weights.info("absent") == nil)
            #expect(try weights.tensor("stem.weight") == first["stem.weight"])
            #expect(try weights.tensor("norm.weight").scalars == [8])
            #expect(throws: SafeTensorsError.missingTensor(name: "absent", path: indexURL.path)) {
                try weights.tensor("absent")
            }
        }
    }

    @Test func explicitIndexFile() throws {
        try withTemporaryDirectory { directory in
            let indexURL = try writeShardedCheckpoint(in: directory)
            #expect(try CheckpointWeights(contentsOf: indexURL).tensorNames.count == 3)
        }
    }

    @Test func singleFileFolder() throws {
        try withTemporaryDirectory { directory in
            let url = directory.appendingPathComponent(CheckpointWeights.singleFileName)
            try writeSafeTensors(second, metadata: ["format": "pt"], to: url)
            let weights = try CheckpointWeights(contentsOf: directory)
            #expect(weights.sourceURL.path == url.path)
            #expect(weights.tensorNames == ["head.bias", "norm.weight"])
            #expect(weights.metadata == ["format": "pt"])
            #expect(try weights.tensor("head.bias").scalars == [5, 6, 7])
        }
    }

    @Test func explicitSingleFile() throws {
        try withTemporaryDirectory { directory in
            let url = directory.appendingPathComponent("weights.safetensors")
            try writeSafeTensors(first, to: url)
            let weights = try CheckpointWeights(contentsOf: url)
            #expect(try weights.tensor("stem.weight") == first["stem.weight"])
            #expect(throws: SafeTensorsError.missingTensor(name: "x", path: url.path)) { try weights.tensor("x") }
        }
    }

    @Test func indexTakesPrecedenceOverSingleFile() throws {
        try withTemporaryDirectory { directory in
            try writeSafeTensors(["other": Tensor(shape: [1], scalars: [0])], to: directory.appendingPathComponent(CheckpointWeights.singleFileName))
            _ = try writeShardedCheckpoint(in: directory)
            #expect(try CheckpointWeights(contentsOf: directory).tensorNames == ["head.bias", "norm.weight", "stem.weight"])
        }
    }

    @Test func emptyFolderHasNoWeights() throws {
        try withTemporaryDirectory { directory in
            #expect(checkpointError(directory) == .noWeights(directory: directory.path))
        }
    }

    @Test func missingShard() throws {
        try withTemporaryDirectory { directory in
            let indexURL = try writeShardedCheckpoint(in: directory)
            try FileManager.default.removeItem(at: directory.appendingPathComponent("model-00002-of-00002.safetensors"))
            #expect(checkpointError(directory) == .missingShard(indexPath: indexURL.path, shard: "model-00002-of-00002.safetensors"))
        }
    }

    @Test func tensorAbsentFromItsShard() throws {
        try withTemporaryDirectory { directory in
            let index = weightMapIndex(#""stem.weight": "model-00001-of-00002.safetensors", "head.bias": "model-00001-of-00002.safetensors""#)
            _ = try writeShardedCheckpoint(in: directory, index: index)
            let shardPath = directory.appendingPathComponent("model-00001-of-00002.safetensors").path
            #expect(checkpointError(directory) == .missingTensor(name: "head.bias", path: shardPath))
        }
    }

    @Test(arguments: ["../x.safetensors", "sub/x.safetensors", "..", "", "a\\\\b.safetensors", "/etc/passwd"])
    func shardNameEscapingTheFolder(shard: String) throws {
        try withTemporaryDirectory { directory in
            let indexURL = try writeShardedCheckpoint(in: directory, index: weightMapIndex(#""stem.weight": "\#(shard)""#))
            guard case .invalidIndex(let path, _)? = checkpointError(directory) else {
                Issue.record("expected invalidIndex for shard '\(shard)'")
                return
            }
            #expect(path == indexURL.path)
        }
    }

    @Test(arguments: [
        #"{"weight_map": {"a": "x.safetensors",}}"#,  // invalid JSON
        #"["model.safetensors"]"#,  // not an object
        #"{"metadata": {}}"#,  // no weight_map
        #"{"weight_map": ["a"]}"#,  // weight_map not an object
        #"{"weight_map": {"a": 1}}"#,  // shard not a string
        "",
    ])
    func badIndex(json: String) throws {
        try withTemporaryDirectory { directory in
            let indexURL = try writeShardedCheckpoint(in: directory, index: json)
            guard case .invalidIndex(let path, _)? = checkpointError(directory) else {
                Issue.record("expected invalidIndex for \(json)")
                return
            }
            #expect(path == indexURL.path)
        }
    }

    @Test func duplicateTensorInIndex() throws {
        try withTemporaryDirectory { directory in
            let index = weightMapIndex(#""stem.weight": "model-00001-of-00002.safetensors", "stem.weight": "model-00002-of-00002.safetensors""#)
            let indexURL = try writeShardedCheckpoint(in: directory, index: index)
            #expect(checkpointError(directory) == .duplicateTensor(path: indexURL.path, tensor: "stem.weight"))
        }
    }

    @Test func corruptShardReportsTheShard() throws {
        try withTemporaryDirectory { directory in
            _ = try writeShardedCheckpoint(in: directory)
            let shard = try writeFile([1, 2, 3], named: "model-00002-of-00002.safetensors", in: directory)
            #expect(checkpointError(directory) == .truncated(path: shard.path, fileSize: 3))
        }
    }
}
