import ConvNeXt
import Foundation
import SafeTensors
import Testing

/// Every way a model folder can be broken must give a clear error from the library and a
/// non-zero exit with a message from the tool, never a crash.
@Suite struct CorruptCheckpointTests {
    /// Loads through the library and the tool; returns the library's error and the tool's stderr.
    private func expectFailure(_ folder: URL, mentioning fragments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws {
        var message = ""
        do {
            _ = try ModelFolder(folder).loadModel(pool: WorkerPool(threadCount: 1))
            Issue.record("loading succeeded", sourceLocation: sourceLocation)
        } catch {
            message = "\(error)"
        }
        for fragment in fragments {
            #expect(message.contains(fragment), "error '\(message)' does not mention '\(fragment)'", sourceLocation: sourceLocation)
        }
        let input = fixturesURL.appendingPathComponent("classifier_4stage/input.safetensors")
        let output = folder.appendingPathComponent("out.safetensors")
        let result = try runConvNeXt(["run", "--model", folder.path, "--input", input.path, "--output", output.path])
        #expect(result.status != 0, sourceLocation: sourceLocation)
        #expect(!result.error.isEmpty, sourceLocation: sourceLocation)
        #expect(!FileManager.default.fileExists(atPath: output.path), sourceLocation: sourceLocation)
    }

    private var weights: String { "model.safetensors" }

    @Test func truncatedFile() throws {
        let folder = try copyOfFixture("classifier_4stage")
        let url = folder.appendingPathComponent(weights)
        let data = try Data(contentsOf: url)
        try data.prefix(data.count / 2).write(to: url)
        try expectFailure(folder, mentioning: [url.lastPathComponent])
    }

    @Test func emptyFile() throws {
        let folder = try copyOfFixture("classifier_4stage")
        try Data().write(to: folder.appendingPathComponent(weights))
        try expectFailure(folder, mentioning: [weights])
    }

    @Test func headerLengthPastEnd() throws {
        let folder = try copyOfFixture("classifier_4stage")
        try writeRawSafeTensors(header: "{}", declaredLength: 1 << 40, to: folder.appendingPathComponent(weights))
        try expectFailure(folder, mentioning: [weights])
    }

    @Test func overlappingOffsets() throws {
        let folder = try copyOfFixture("classifier_4stage")
        let header = #"{"classifier.bias":{"dtype":"F32","shape":[4],"data_offsets":[0,16]},"classifier.weight":{"dtype":"F32","shape":[4],"data_offsets":[8,24]}}"#
        try writeRawSafeTensors(header: header, data: Array(repeating: 0, count: 24), to: folder.appendingPathComponent(weights))
        try expectFailure(folder, mentioning: [weights])
    }

    @Test func unsupportedDType() throws {
        let folder = try copyOfFixture("classifier_4stage")
        let stem = try #require(try SafeTensorsFile(contentsOf: folder.appendingPathComponent(weights)).info("convnext.embeddings.patch_embeddings.weight"))
        let count = stem.shape.reduce(1, *)
        let header = #"{"convnext.embeddings.patch_embeddings.weight":{"dtype":"C64","shape":\#(stem.shape),"data_offsets":[0,\#(count * 8)]}}"#
        try writeRawSafeTensors(header: header, data: Array(repeating: 0, count: count * 8), to: folder.appendingPathComponent(weights))
        try expectFailure(folder, mentioning: ["C64"])
    }

    @Test func invalidHeaderJSON() throws {
        let folder = try copyOfFixture("classifier_4stage")
        try writeRawSafeTensors(header: #"{"a": [1, 2"#, to: folder.appendingPathComponent(weights))
        try expectFailure(folder, mentioning: [weights])
    }

    @Test func invalidConfigJSON() throws {
        let folder = try copyOfFixture("classifier_4stage")
        try Data("{\"depths\": [1, 2,".utf8).write(to: folder.appendingPathComponent("config.json"))
        try expectFailure(folder, mentioning: ["config.json"])
    }

    @Test func missingTensor() throws {
        let folder = try copyOfFixture("classifier_4stage")
        let url = folder.appendingPathComponent(weights)
        let file = try SafeTensorsFile(contentsOf: url)
        var tensors: [String: Tensor] = [:]
        for name in file.tensorNames where name != "convnext.encoder.stages.1.layers.0.pwconv2.bias" { tensors[name] = try file.tensor(name) }
        try writeSafeTensors(tensors, to: url)
        try expectFailure(folder, mentioning: ["encoder.stages.1.layers.0.pwconv2.bias"])
    }

    @Test func unexpectedTensor() throws {
        let folder = try copyOfFixture("classifier_4stage")
        let url = folder.appendingPathComponent(weights)
        let file = try SafeTensorsFile(contentsOf: url)
        var tensors: [String: Tensor] = ["convnext.encoder.stages.0.layers.9.dwconv.weight": Tensor(shape: [8, 1, 7, 7])]
        for name in file.tensorNames { tensors[name] = try file.tensor(name) }
        try writeSafeTensors(tensors, to: url)
        try expectFailure(folder, mentioning: ["convnext.encoder.stages.0.layers.9.dwconv.weight"])
    }

    @Test func wrongShape() throws {
        let folder = try copyOfFixture("classifier_4stage")
        let url = folder.appendingPathComponent(weights)
        let file = try SafeTensorsFile(contentsOf: url)
        var tensors: [String: Tensor] = [:]
        for name in file.tensorNames { tensors[name] = try file.tensor(name) }
        let name = "convnext.encoder.stages.2.layers.0.pwconv1.weight"
        let original = try #require(tensors[name])
        tensors[name] = Tensor(shape: [original.shape[0] + 1, original.shape[1]])
        try writeSafeTensors(tensors, to: url)
        try expectFailure(folder, mentioning: [name])
    }

    @Test func configDisagreesWithWeights() throws {
        let folder = try copyOfFixture("classifier_4stage")
        let url = folder.appendingPathComponent("config.json")
        var object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        object["depths"] = [1, 1, 1, 1]
        try JSONSerialization.data(withJSONObject: object).write(to: url)
        try expectFailure(folder, mentioning: ["unexpected"])
    }

    @Test func nonFiniteWeight() throws {
        let folder = try copyOfFixture("classifier_4stage")
        let url = folder.appendingPathComponent(weights)
        let file = try SafeTensorsFile(contentsOf: url)
        var tensors: [String: Tensor] = [:]
        for name in file.tensorNames { tensors[name] = try file.tensor(name) }
        let poisoned = "convnext.encoder.stages.1.layers.0.pwconv1.weight"
        var weight = try #require(tensors[poisoned])
        weight.withUnsafeMutableBufferPointer { $0[5] = .infinity }
        tensors[poisoned] = weight
        try writeSafeTensors(tensors, to: url)
        try expectFailure(folder, mentioning: [poisoned, "NaN or infinity"])
    }
}

@Suite struct ModelFolderTests {
    @Test func picklesAreRefusedByName() throws {
        let folder = try copyOfFixture("classifier_4stage")
        try FileManager.default.removeItem(at: folder.appendingPathComponent("model.safetensors"))
        try Data([0x80, 0x02]).write(to: folder.appendingPathComponent("pytorch_model.bin"))
        #expect {
            _ = try ModelFolder(folder).loadModel(pool: WorkerPool(threadCount: 1))
        } throws: { "\($0)".contains("pytorch_model.bin") && "\($0)".contains("safetensors") }
    }

    @Test func loneDifferentlyNamedSafetensorsIsTheCheckpoint() throws {
        let folder = try copyOfFixture("original_names")
        for file in ["input.safetensors", "expected.safetensors"] { try FileManager.default.removeItem(at: folder.appendingPathComponent(file)) }
        try FileManager.default.moveItem(at: folder.appendingPathComponent("model.safetensors"),
                                         to: folder.appendingPathComponent("convnext_1k_224_ema.safetensors"))
        let description = try ModelFolder(folder).describe()
        #expect(description.naming == .original)
        #expect(description.architecture == .imageClassification)
    }

    @Test func missingFolderIsNamed() {
        #expect { _ = try ModelFolder(URL(fileURLWithPath: "/nonexistent/convnext")).describe() } throws: { "\($0)".contains("/nonexistent/convnext") }
    }
}
