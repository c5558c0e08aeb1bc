import ConvNeXt
import ConvNeXtKernels
import ConvNeXtTraining
import Foundation
import SafeTensors
import Testing

/// Losses and every parameter's gradient against PyTorch (transformers models with
/// re-randomized parameters; scripts/generate_training_fixtures.py).
@Suite struct PyTorchParityTests {
    @Test(arguments: ["v1_layer_scale", "v2_patch2_gray", "v1_no_layer_scale_tanh"])
    func gradientsMatchPyTorch(_ name: String) throws {
        let folder = trainingFixturesURL.appendingPathComponent(name)
        let configuration = try ConvNeXtConfiguration.load(from: folder.appendingPathComponent("config.json"))
        let weights = try SafeTensorsFile(contentsOf: folder.appendingPathComponent("model.safetensors"))
        var parameters: [String: Tensor] = [:]
        for key in weights.tensorNames {
            let canonical = key.replacingOccurrences(of: #"^convnext(v2)?\."#, with: "", options: .regularExpression)
            parameters[canonical] = try weights.tensor(key)
        }
        let input = try SafeTensorsFile(contentsOf: folder.appendingPathComponent("input.safetensors"))
        let expected = try SafeTensorsFile(contentsOf: folder.appendingPathComponent("expected.safetensors"))
        let pixels = try input.tensor("pixel_values")
        let labels = try input.tensor("labels").scalars.map { Int($0) }
        let softTargets = try input.tensor("soft_targets")
        let smoothing = Float(expected.metadata["label_smoothing"] ?? "") ?? 0.1

        let model = try TrainableConvNeXt(configuration: configuration, parameters: parameters)
        var generator = SeededGenerator(seed: 1)
        let tape = Tape(pool: testPool)
        let logits = try model.forward(pixels, on: tape, training: true, generator: &generator)
        let loss = logits.crossEntropy(labels: labels, labelSmoothing: smoothing)
        let softLoss = logits.softCrossEntropy(targets: softTargets)
        #expect(relativeError(logits.value.scalars, try expected.tensor("logits").scalars) <= 1e-5)
        #expect(relativeError(loss.value.scalars, try expected.tensor("loss").scalars) <= 1e-5)
        #expect(relativeError(softLoss.value.scalars, try expected.tensor("soft_loss").scalars) <= 1e-5)

        let objective = expected.metadata["gradient_of"] == "soft_loss" ? softLoss : loss
        let gradients = model.gradients(from: objective.backward())
        var worst = (name: "", error: 0.0)
        for parameter in model.parameterNames {
            let reference = try expected.tensor("grad." + parameter)
            let gradient = try #require(gradients[parameter])
            #expect(gradient.shape == reference.shape, "\(parameter)")
            let error = relativeError(gradient.scalars, reference.scalars)
            #expect(error <= 1e-4, "\(parameter): gradient off by \(error) of max|reference|")
            if error > worst.error { worst = (parameter, error) }
        }
        #expect(Set(gradients.keys) == Set(expected.tensorNames.filter { $0.hasPrefix("grad.") }.map { String($0.dropFirst(5)) }))
        print("PyTorch parity \(name): \(gradients.count) gradients, worst relative error \(worst.error) (\(worst.name))")
    }
}
