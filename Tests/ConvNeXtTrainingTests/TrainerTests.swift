import ConvNeXt
import ConvNeXtImages
import ConvNeXtKernels
import ConvNeXtTraining
import Foundation
import SafeTensors
import Testing

/// Stops a run from a trainer callback.
private struct Interruption: Error {}

@Suite struct TrainerTests {
    @Test func runWritesCheckpointsMetricsAndPlot() throws {
        let root = try temporaryFolder("trainer")
        defer { try? FileManager.default.removeItem(at: root) }
        try makeImageFolder(at: root.appendingPathComponent("data"))
        let output = root.appendingPathComponent("out")
        let trainer = try tinyTrainer(data: root.appendingPathComponent("data"), validation: root.appendingPathComponent("data"), output: output)
        var steps = 0
        let state = try trainer.run(resume: false, progress: { _ in steps += 1 })
        #expect(state.completedEpochs == 3)
        #expect(steps == 3 * 4)  // 18 images, batch 4, last partial batch dropped
        #expect(state.optimizerSteps == 12)
        let lines = try String(contentsOf: output.appendingPathComponent("metrics.jsonl"), encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 3)
        let first = try JSONDecoder().decode(EpochRecord.self, from: Data(lines[0].utf8))
        #expect(first.epoch == 1 && first.validationTop1 != nil && first.validationTop1EMA != nil && first.trainLoss.isFinite)
        let png = try RGBImage(contentsOf: output.appendingPathComponent("curves.png"))
        #expect(png.width > 100 && png.height > 100)
        // `last` is a Hugging Face folder the inference engine loads, labels included.
        let last = output.appendingPathComponent("last")
        let model = try ModelFolder(last).loadModel(pool: testPool)
        #expect(model.configuration.id2label == [0: "circle", 1: "cross", 2: "square"])
        let saved = try ModelFolder(last).loadParameters().parameters
        for (name, tensor) in trainer.model.parameters { #expect(saved[name]?.scalars == tensor.scalars, "\(name)") }
        let checkpoints = try FileManager.default.contentsOfDirectory(atPath: output.appendingPathComponent("checkpoints").path).sorted()
        #expect(checkpoints == ["epoch-0002", "epoch-0003"])
    }

    @Test func resumedRunEndsWithTheSameWeights() throws {
        let root = try temporaryFolder("resume")
        defer { try? FileManager.default.removeItem(at: root) }
        let data = root.appendingPathComponent("data")
        try makeImageFolder(at: data)
        let straight = root.appendingPathComponent("straight"), interrupted = root.appendingPathComponent("interrupted")
        _ = try tinyTrainer(data: data, validation: nil, output: straight).run(resume: false)

        // Stop in the middle of epoch 2, after epoch 1's checkpoint.
        #expect(throws: Interruption.self) {
            _ = try tinyTrainer(data: data, validation: nil, output: interrupted).run(resume: false, progress: { progress in
                if progress.epoch == 2 && progress.step == 2 { throw Interruption() }
            })
        }
        let link = try FileManager.default.destinationOfSymbolicLink(atPath: interrupted.appendingPathComponent("last").path)
        #expect(link == "checkpoints/epoch-0001")
        // Without --resume an existing run is refused rather than overwritten.
        #expect(throws: TrainingError.self) { _ = try tinyTrainer(data: data, validation: nil, output: interrupted).run(resume: false) }
        // A changed recipe cannot resume.
        var changed = tinyRecipe()
        changed.learningRate = 1e-3
        #expect(throws: TrainingError.self) { _ = try tinyTrainer(data: data, validation: nil, output: interrupted, recipe: changed).run(resume: true) }

        let state = try tinyTrainer(data: data, validation: nil, output: interrupted).run(resume: true)
        #expect(state.completedEpochs == 3)
        let expected = try Data(contentsOf: straight.appendingPathComponent("last/model.safetensors"))
        let resumed = try Data(contentsOf: interrupted.appendingPathComponent("last/model.safetensors"))
        #expect(expected == resumed)
        let expectedState = try SafeTensorsFile(contentsOf: straight.appendingPathComponent("last/training_state.safetensors"))
        let resumedState = try SafeTensorsFile(contentsOf: interrupted.appendingPathComponent("last/training_state.safetensors"))
        for name in expectedState.tensorNames {
            #expect(try expectedState.tensor(name).scalars == resumedState.tensor(name).scalars, "\(name)")
        }
        let losses = { (url: URL) throws -> [Double] in
            try String(contentsOf: url.appendingPathComponent("metrics.jsonl"), encoding: .utf8).split(separator: "\n")
                .map { try JSONDecoder().decode(EpochRecord.self, from: Data($0.utf8)).trainLoss }
        }
        #expect(try losses(straight) == losses(interrupted))
    }

    @Test func unreadableImagesAreSkippedAndReported() throws {
        let root = try temporaryFolder("skip")
        defer { try? FileManager.default.removeItem(at: root) }
        let data = root.appendingPathComponent("data")
        try makeImageFolder(at: data)
        try Data("not a png".utf8).write(to: data.appendingPathComponent("cross/broken.png"))
        var skipped: [SkippedSample] = []
        var recipe = tinyRecipe(epochs: 1)
        recipe.mixup = 0
        recipe.cutmix = 0
        recipe.batchSize = 3
        _ = try tinyTrainer(data: data, validation: nil, output: root.appendingPathComponent("out"), recipe: recipe)
            .run(resume: false, epochFinished: { _, epochSkipped in skipped += epochSkipped })
        #expect(skipped.count == 1)
        #expect(skipped.first?.url.lastPathComponent == "broken.png")
    }

    @Test func nonFiniteLossStopsNamingTheStep() throws {
        let root = try temporaryFolder("nan")
        defer { try? FileManager.default.removeItem(at: root) }
        try makeImageFolder(at: root.appendingPathComponent("data"))
        let trainer = try tinyTrainer(data: root.appendingPathComponent("data"), validation: nil, output: root.appendingPathComponent("out")) {
            $0["classifier.bias"] = Tensor(shape: [3], scalars: [.nan, 0, 0])
        }
        let error = #expect(throws: TrainingError.self) { _ = try trainer.run(resume: false) }
        guard case .nonFiniteLoss(let epoch, let step, let value) = error else {
            Issue.record("expected a non-finite loss error, got \(String(describing: error))")
            return
        }
        #expect(epoch == 1 && step == 0 && value.isNaN)
    }

    @Test func nonFiniteStepsCanBeSkipped() throws {
        let root = try temporaryFolder("nan-skip")
        defer { try? FileManager.default.removeItem(at: root) }
        try makeImageFolder(at: root.appendingPathComponent("data"))
        let trainer = try tinyTrainer(data: root.appendingPathComponent("data"), validation: nil, output: root.appendingPathComponent("out")) {
            $0["classifier.bias"] = Tensor(shape: [3], scalars: [.nan, 0, 0])
        }
        trainer.skipsNonFiniteSteps = true
        let before = trainer.model.parameters
        let state = try trainer.run(resume: false)
        #expect(state.history.count == trainer.recipe.epochs)
        #expect(state.history.allSatisfy { $0.skippedSteps == trainer.stepsPerEpoch })
        // Every step was skipped, so no parameter moved.
        for (name, value) in before { #expect(trainer.model.parameters[name]?.scalars.elementsEqual(value.scalars) { $0 == $1 || ($0.isNaN && $1.isNaN) } == true, "\(name)") }
        #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("out/last/model.safetensors").path))
    }

    @Test func mismatchedValidationClassesAreRefused() throws {
        let root = try temporaryFolder("labels")
        defer { try? FileManager.default.removeItem(at: root) }
        try makeImageFolder(at: root.appendingPathComponent("train"))
        try makeImageFolder(at: root.appendingPathComponent("val"), classes: ["circle", "cross", "star"], perClass: 2)
        #expect(throws: TrainingDataError.self) {
            _ = try tinyTrainer(data: root.appendingPathComponent("train"), validation: root.appendingPathComponent("val"), output: root.appendingPathComponent("out"))
        }
    }

    @Test func emptyClassFolderIsAnError() throws {
        let root = try temporaryFolder("empty")
        defer { try? FileManager.default.removeItem(at: root) }
        try makeImageFolder(at: root)
        try FileManager.default.createDirectory(at: root.appendingPathComponent("zebra"), withIntermediateDirectories: true)
        #expect(throws: TrainingDataError.emptyClass(name: "zebra", path: root.standardizedFileURL.path)) {
            _ = try ImageFolderDataset(directory: root)
        }
    }

    @Test func tooFewImagesForOneStepIsAnError() throws {
        let root = try temporaryFolder("few")
        defer { try? FileManager.default.removeItem(at: root) }
        try makeImageFolder(at: root.appendingPathComponent("data"), perClass: 1)
        #expect(throws: TrainingError.self) {
            _ = try tinyTrainer(data: root.appendingPathComponent("data"), validation: nil, output: root.appendingPathComponent("out"))
        }
    }
}
