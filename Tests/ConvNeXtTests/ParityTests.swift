import ConvNeXt
import Foundation
import SafeTensors
import Testing

/// The fixture folders: each holds a checkpoint, `input.safetensors` and the reference
/// implementation's outputs in `expected.safetensors`.
func fixtureCases() -> [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: fixturesURL.path)) ?? []
    return names.filter { FileManager.default.fileExists(atPath: fixturesURL.appendingPathComponent($0).appendingPathComponent("expected.safetensors").path) }.sorted()
}

/// The largest |ours − reference| relative to max |reference|.
func relativeError(_ ours: Tensor, _ reference: Tensor) -> Float {
    let scale = max(reference.maxMagnitude, 1e-12)
    var worst: Float = 0
    ours.withUnsafeBufferPointer { a in
        reference.withUnsafeBufferPointer { b in
            for index in 0..<min(a.count, b.count) { worst = max(worst, abs(a[index] - b[index])) }
        }
    }
    return worst / scale
}

/// Compares every reference tensor with ours: same names, shapes, and values within 1e-4 x max|reference|.
func expectMatchesReference(_ ours: [String: Tensor], expectedFile: URL, label: String) throws {
    let expected = try SafeTensorsFile(contentsOf: expectedFile)
    #expect(!expected.tensorNames.isEmpty)
    for name in expected.tensorNames {
        let reference = try expected.tensor(name)
        let mine = try #require(ours[name], "\(label): we produce no '\(name)'")
        #expect(mine.shape == reference.shape, "\(label): \(name) shape")
        let error = relativeError(mine, reference)
        #expect(error <= 1e-4, "\(label): \(name) relative error \(error)")
    }
}

@Suite struct ParityTests {
    @Test func fixturesArePresent() {
        #expect(fixtureCases().count >= 10, "found \(fixtureCases())")
    }

    @Test(arguments: fixtureCases())
    func matchesReference(caseName: String) throws {
        let folder = fixturesURL.appendingPathComponent(caseName)
        let model = try ModelFolder(folder).loadModel(pool: WorkerPool(threadCount: 2))
        let input = try SafeTensorsFile(contentsOf: folder.appendingPathComponent("input.safetensors")).tensor("pixel_values")
        let output = try model.predict(input, outputHiddenStates: model.architecture != .backbone)
        try expectMatchesReference(output.namedTensors, expectedFile: folder.appendingPathComponent("expected.safetensors"), label: caseName)
    }

    @Test func channelsLastMatchesChannelsFirst() throws {
        let folder = fixturesURL.appendingPathComponent("nonsquare")
        let model = try ModelFolder(folder).loadModel(pool: WorkerPool(threadCount: 1))
        let input = try SafeTensorsFile(contentsOf: folder.appendingPathComponent("input.safetensors")).tensor("pixel_values")
        let (n, c, h, w) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3])
        let nhwc = Tensor(shape: [n, h, w, c]) { out in
            input.withUnsafeBufferPointer { channelsFirstToLast($0.baseAddress!, batch: n, channels: c, height: h, width: w, output: out.baseAddress!) }
        }
        let first = try model.predict(input, outputHiddenStates: true)
        let last = try model.predict(nhwc, layout: .channelsLast, outputHiddenStates: true)
        #expect(first.logits == last.logits)
        let state = try #require(last.lastHiddenState)
        #expect(state.shape == [n, first.lastHiddenState!.shape[2], first.lastHiddenState!.shape[3], first.lastHiddenState!.shape[1]])
    }

    @Test func rejectsBadInputShapes() throws {
        let model = try ModelFolder(fixturesURL.appendingPathComponent("classifier_4stage")).loadModel(pool: WorkerPool(threadCount: 1))
        for shape in [[3, 64, 64], [1, 4, 64, 64], [1, 3, 31, 64], [0, 3, 64, 64]] {
            #expect(throws: ConvNeXtError.self, "\(shape)") { _ = try model.predict(Tensor(shape: shape)) }
        }
    }

    /// NaN or infinite pixels are refused by name; finite ones always give a result, which for
    /// values that overflow inside the network is non-finite (as in PyTorch), never a hang.
    @Test func nonFiniteAndExtremeInputs() throws {
        let model = try ModelFolder(fixturesURL.appendingPathComponent("classifier_4stage")).loadModel(pool: WorkerPool(threadCount: 2))
        for bad: Float in [.nan, .infinity, -.infinity] {
            var input = Tensor(shape: [1, 3, 64, 64])
            input.withUnsafeMutableBufferPointer { $0[1234] = bad }
            #expect(performing: { _ = try model.predict(input) }, throws: { "\($0)".contains("NaN or infinity") && "\($0)".contains("1234") })
        }
        for extreme: Float in [1e6, -1e12, 1e30, .greatestFiniteMagnitude] {
            let input = Tensor(shape: [1, 3, 64, 64], scalars: (0..<(3 * 64 * 64)).map { $0 % 2 == 0 ? extreme : -extreme / 2 })
            let logits = try #require(try model.predict(input).logits)
            #expect(logits.shape == [1, 5])
            if extreme == 1e6 { #expect(logits.scalars.allSatisfy { $0.isFinite }) }
        }
    }

    @Test func concurrentPredictionsAgree() async throws {
        let folder = fixturesURL.appendingPathComponent("batch3")
        let model = try ModelFolder(folder).loadModel(pool: WorkerPool(threadCount: 2))
        let input = try SafeTensorsFile(contentsOf: folder.appendingPathComponent("input.safetensors")).tensor("pixel_values")
        let reference = try model.predict(input).logits
        try await withThrowingTaskGroup(of: Tensor?.self) { group in
            for _ in 0..<8 { group.addTask { try model.predict(input).logits } }
            for try await logits in group { #expect(logits == reference) }
        }
    }
}

@Suite struct ConfigurationInferenceTests {
    /// Without config.json the configuration is read off the tensors; the outputs must not change.
    @Test(arguments: ["timm_names", "timm_conv_mlp", "timm_v2", "original_names", "classifier_4stage", "backbone", "classifier_3stage_no_layer_scale", "convnextv2_classifier"])
    func matchesReferenceWithoutConfig(caseName: String) throws {
        let folder = try copyOfFixture(caseName)
        try FileManager.default.removeItem(at: folder.appendingPathComponent("config.json"))
        let model = try ModelFolder(folder).loadModel(pool: WorkerPool(threadCount: 2))
        let input = try SafeTensorsFile(contentsOf: folder.appendingPathComponent("input.safetensors")).tensor("pixel_values")
        let output = try model.predict(input, outputHiddenStates: model.architecture != .backbone)
        try expectMatchesReference(output.namedTensors, expectedFile: folder.appendingPathComponent("expected.safetensors"), label: caseName)
    }

    @Test func initialParametersBuildEveryVariantLayout() throws {
        var configuration = ConvNeXtVariant.atto.configuration(numLabels: 3)
        configuration.generation = .v2
        let layout = try ParameterLayout(configuration: configuration, architecture: .imageClassification)
        let parameters = layout.initialParameters(configuration: configuration, seed: 7)
        #expect(parameters.count == layout.entries.count)
        #expect(parameters["embeddings.layernorm.weight"]?.scalars.allSatisfy { $0 == 1 } == true)
        #expect(parameters["encoder.stages.0.layers.0.grn.weight"]?.shape == [1, 1, 1, 160])
        let model = try ConvNeXtModel(configuration: configuration, architecture: .imageClassification, parameters: parameters, pool: WorkerPool(threadCount: 1))
        let logits = try #require(try model.predict(Tensor(shape: [1, 3, 32, 32], repeating: 0.5)).logits)
        #expect(logits.shape == [1, 3])
        #expect(logits.scalars.allSatisfy { $0.isFinite })
    }
}
