import ConvNeXt
import Foundation
import SafeTensors
import Testing

private let imagesURL = fixturesURL.appendingPathComponent("images")
private let pipelineURL = fixturesURL.appendingPathComponent("pipeline")

/// The transformers results the pipeline fixture recorded (`convnext classify --json` format).
private struct ClassifiedImage: Decodable {
    struct Prediction: Decodable { let label: String; let index: Int; let score: Float }
    let image: String
    let predictions: [Prediction]
}

/// FNV-1a 64 of a tensor's float32 bytes, as hex: how the image fixtures record large outputs.
private func digest(_ tensor: Tensor) -> String {
    tensor.withUnsafeBufferPointer { values in
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in UnsafeRawBufferPointer(values) { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return String(format: "%016llx", hash)
    }
}

@Suite struct PipelineCommandTests {
    private var reference: [ClassifiedImage] {
        get throws { try JSONDecoder().decode([ClassifiedImage].self, from: Data(contentsOf: pipelineURL.appendingPathComponent("classify.json"))) }
    }

    @Test func classifyMatchesTransformers() throws {
        let expected = try reference
        let result = try runConvNeXt(["classify", "--model", pipelineURL.appendingPathComponent("model").path, "--json", "--batch-size", "3"]
                                     + expected.map { imagesURL.appendingPathComponent($0.image).path })
        #expect(result.status == 0, "\(result.error)")
        let ours = try JSONDecoder().decode([ClassifiedImage].self, from: Data(result.output.utf8))
        #expect(ours.count == expected.count)
        for (mine, theirs) in zip(ours, expected) {
            #expect(URL(fileURLWithPath: mine.image).lastPathComponent == theirs.image)
            #expect(mine.predictions.map(\.index) == theirs.predictions.map(\.index), "\(theirs.image)")
            #expect(mine.predictions.map(\.label) == theirs.predictions.map(\.label), "\(theirs.image)")
            for (a, b) in zip(mine.predictions, theirs.predictions) {
                #expect(abs(a.score - b.score) <= 1e-4, "\(theirs.image): \(a.score) vs \(b.score)")
            }
        }
    }

    @Test func classifyReportsBadImagesAndGoesOn() throws {
        let good = imagesURL.appendingPathComponent("chelsea_422.jpg").path
        let result = try runConvNeXt(["classify", "--model", pipelineURL.appendingPathComponent("model").path, "--top-k", "2",
                                      imagesURL.appendingPathComponent("text.jpg").path, good,
                                      imagesURL.appendingPathComponent("truncated.jpg").path])
        #expect(result.status != 0)
        #expect(result.output.contains(good))
        #expect(result.output.contains("cat (0)"))
        #expect(result.error.contains("text.jpg"))
        #expect(result.error.contains("truncated.jpg"))
    }

    @Test func embedMatchesTransformers() throws {
        let expected = try reference.map(\.image)
        let output = try temporaryDirectory().appendingPathComponent("embeddings.safetensors")
        let result = try runConvNeXt(["embed", "--model", pipelineURL.appendingPathComponent("model").path, "--output", output.path]
                                     + expected.map { imagesURL.appendingPathComponent($0).path })
        #expect(result.status == 0, "\(result.error)")
        let file = try SafeTensorsFile(contentsOf: output)
        let embeddings = try file.tensor("embeddings")
        let list = try JSONDecoder().decode([String].self, from: Data((file.metadata["images"] ?? "").utf8))
        #expect(list.map { URL(fileURLWithPath: $0).lastPathComponent } == expected)
        let references = try SafeTensorsFile(contentsOf: pipelineURL.appendingPathComponent("embeddings.safetensors"))
        let width = embeddings.shape[1]
        for (row, name) in expected.enumerated() {
            let reference = try references.tensor(name)
            let mine = Tensor(shape: [width], scalars: Array(embeddings.scalars[(row * width)..<((row + 1) * width)]))
            #expect(relativeError(mine, reference) <= 1e-4, "\(name)")
        }
    }

    /// Every processor fixture (all configurations, every image) through `convnext preprocess`.
    @Test func preprocessMatchesTransformers() throws {
        struct Manifest: Decodable {
            struct Entry: Decodable { let label: String; let config: String; let file: String; let shape: [Int]; let dtype: String; let digest: String }
            let processor: [Entry]
        }
        let manifest = try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: imagesURL.appendingPathComponent("manifest.json")))
        let byLabel = Dictionary(grouping: manifest.processor.filter { $0.dtype == "float32" }, by: \.label)
        #expect(!byLabel.isEmpty)
        for (label, entries) in byLabel {
            let folder = try temporaryDirectory()
            try Data(entries[0].config.utf8).write(to: folder.appendingPathComponent("preprocessor_config.json"))
            let output = folder.appendingPathComponent("pixels.safetensors")
            let result = try runConvNeXt(["preprocess", "--model", folder.path, "--output", output.path]
                                         + entries.map { imagesURL.appendingPathComponent($0.file).path })
            #expect(result.status == 0, "\(label): \(result.error)")
            let file = try SafeTensorsFile(contentsOf: output)
            for entry in entries {
                let tensor = try file.tensor(entry.file)
                #expect(tensor.shape == entry.shape, "\(label) \(entry.file)")
                #expect(digest(tensor) == entry.digest, "\(label) \(entry.file)")
            }
        }
    }

    @Test func missingPreprocessorConfigUsesHubDefaultsAndSaysSo() throws {
        let folder = try copyOfFixture("pipeline/model")
        try FileManager.default.removeItem(at: folder.appendingPathComponent("preprocessor_config.json"))
        let result = try runConvNeXt(["classify", "--model", folder.path, imagesURL.appendingPathComponent("chelsea_422.jpg").path])
        #expect(result.status == 0)
        #expect(result.error.components(separatedBy: "preprocessor_config.json").count == 2)
        #expect(result.output.contains("0.7879  cat (0)"))
    }
}
