import ConvNeXt
import ConvNeXtImages
import ConvNeXtKernels
import ConvNeXtTraining
import Foundation
import Testing

@Suite struct FineTuningSetupTests {
    /// Saves a tiny classifier with `labels` and returns its folder and parameters.
    private func savedModel(labels: [String], in root: URL) throws -> (URL, [String: Tensor]) {
        let model = try TrainableConvNeXt.newClassifier(configuration: tinyTrainingConfiguration(), classNames: labels, seed: 3)
        let folder = root.appendingPathComponent("model")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try model.writeModelFolder(to: folder, preprocessing: .hubDefault)
        return (folder, model.parameters)
    }

    @Test func sameClassesKeepTheHead() throws {
        let root = try temporaryFolder("finetune")
        defer { try? FileManager.default.removeItem(at: root) }
        let (folder, saved) = try savedModel(labels: ["a", "b", "c"], in: root)
        let setup = try TrainableConvNeXt.forFineTuning(folder: folder, classNames: ["a", "b", "c"], seed: 1)
        #expect(setup.freshParameters.isEmpty)
        for (name, tensor) in saved { #expect(setup.model.parameters[name]?.scalars == tensor.scalars, "\(name)") }
    }

    @Test func reorderedClassesPermuteTheHeadRows() throws {
        let root = try temporaryFolder("finetune")
        defer { try? FileManager.default.removeItem(at: root) }
        let (folder, saved) = try savedModel(labels: ["a", "b", "c"], in: root)
        let setup = try TrainableConvNeXt.forFineTuning(folder: folder, classNames: ["c", "a", "b"], seed: 1)
        let bias = try #require(saved["classifier.bias"]).scalars
        #expect(setup.model.parameters["classifier.bias"]?.scalars == [bias[2], bias[0], bias[1]])
        #expect(setup.model.configuration.id2label == [0: "c", 1: "a", 2: "b"])
    }

    @Test func otherClassesGetANewHead() throws {
        let root = try temporaryFolder("finetune")
        defer { try? FileManager.default.removeItem(at: root) }
        let (folder, saved) = try savedModel(labels: ["a", "b", "c"], in: root)
        let setup = try TrainableConvNeXt.forFineTuning(folder: folder, classNames: ["x", "y"], seed: 1)
        #expect(setup.freshParameters == ["classifier.bias", "classifier.weight"])
        #expect(setup.model.parameters["classifier.weight"]?.shape == [2, 16])
        #expect(setup.model.parameters["embeddings.patch_embeddings.weight"]?.scalars == saved["embeddings.patch_embeddings.weight"]?.scalars)
        #expect(setup.summary.contains("new classifier"))
    }

    @Test func recipeValidationNamesTheField() throws {
        var recipe = TrainingRecipe(epochs: 10, batchSize: 5)
        #expect(throws: TrainingError.invalidRecipe(field: "batch-size", reason: "Mixup/CutMix mix a batch with its reverse and need an even batch size, got 5")) {
            try recipe.validate()
        }
        recipe.batchSize = 8
        recipe.randAugment = "rand-m9-mstd0.5"
        #expect(throws: TrainingError.self) { try recipe.validate() }
        recipe.randAugment = "rand-m7-n3-mstd0.5-inc1"
        try recipe.validate()
        #expect(recipe.resolvedLearningRate == 4e-3 * 8 / 4096)
        #expect(recipe.resolvedWarmupEpochs == 1)
        let augment = try RandAugment(timmSpecification: "rand-m7-n3-mstd0.5-inc1")
        #expect(augment.magnitude == 7 && augment.layers == 3 && augment.magnitudeStd == 0.5)
    }
}
