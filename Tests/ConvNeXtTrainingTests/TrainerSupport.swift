import ConvNeXt
import ConvNeXtImages
import ConvNeXtKernels
import ConvNeXtTraining
import Foundation

/// A fresh temporary folder.
func temporaryFolder(_ label: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("convnext-\(label)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// An image folder of `classes` classes × `perClass` 40x40 PNGs: each class a distinct
/// color with a bright square at a class-dependent place, jittered per image, so a small
/// model can learn it.
func makeImageFolder(at root: URL, classes: [String] = ["circle", "cross", "square"], perClass: Int = 6) throws {
    for (label, name) in classes.enumerated() {
        let folder = root.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for index in 0..<perClass {
            var pixels = [UInt8](repeating: 0, count: 40 * 40 * 3)
            for y in 0..<40 {
                for x in 0..<40 {
                    let inSquare = abs(x - 10 - 10 * label) < 6 + index % 3 && abs(y - 20) < 6
                    let offset = (y * 40 + x) * 3
                    pixels[offset] = inSquare ? 240 : UInt8(40 * label + 3 * index)
                    pixels[offset + 1] = inSquare ? 200 : UInt8((x * 5 + index * 11) % 256)
                    pixels[offset + 2] = inSquare ? 30 : UInt8((y * 3 + label * 50) % 256)
                }
            }
            try PNGEncoder.write(RGBImage(width: 40, height: 40, pixels: pixels), to: folder.appendingPathComponent("\(index).png"))
        }
    }
}

/// A two-stage ConvNeXt small enough to train in a debug build within a second.
func tinyTrainingConfiguration() throws -> ConvNeXtConfiguration {
    let json = #"{"model_type": "convnext", "num_stages": 2, "hidden_sizes": [8, 16], "depths": [1, 1], "patch_size": 4, "image_size": 32}"#
    return try JSONDecoder().decode(ConvNeXtConfiguration.self, from: Data(json.utf8))
}

/// A short recipe on 32x32 crops, batch 4, every augmentation on.
func tinyRecipe(epochs: Int = 3) -> TrainingRecipe {
    var recipe = TrainingRecipe(epochs: epochs, batchSize: 4)
    recipe.imageSize = 32
    recipe.learningRate = 2e-3
    recipe.warmupEpochs = 1
    recipe.emaDecay = 0.9
    recipe.seed = 7
    return recipe
}

/// A trainer of a fresh tiny model on `data` writing to `output`.
func tinyTrainer(data: URL, validation: URL?, output: URL, recipe: TrainingRecipe = tinyRecipe(),
                 parameters: ((inout [String: Tensor]) -> Void)? = nil) throws -> Trainer {
    let training = try ImageFolderDataset(directory: data)
    let validationSet = try validation.map { try ImageFolderDataset(directory: $0, expectedClasses: training.classNames) }
    var model = try TrainableConvNeXt.newClassifier(configuration: tinyTrainingConfiguration(), classNames: training.classNames, seed: recipe.seed)
    if let parameters { parameters(&model.parameters) }
    var preprocessing = ImageProcessorConfiguration.hubDefault
    preprocessing.shortestEdge = recipe.imageSize
    return try Trainer(model: model, recipe: recipe, training: training, validation: validationSet,
                       preprocessing: preprocessing, output: output, pool: testPool, loaderThreads: 2)
}
