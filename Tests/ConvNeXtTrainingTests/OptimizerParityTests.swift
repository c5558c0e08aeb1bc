import ConvNeXt
import ConvNeXtKernels
import ConvNeXtTraining
import Foundation
import SafeTensors
import Testing

/// Whole training runs against PyTorch: a small transformers ConvNeXt trained on one batch with
/// torch.optim.AdamW, the original parameter groups and cosine schedule
/// (scripts/generate_optimizer_fixtures.py).
@Suite struct OptimizerParityTests {
    static let folder = trainingFixturesURL.deletingLastPathComponent().appendingPathComponent("training_optim")

    @Test(arguments: ["adamw_cosine", "adamw_layer_decay_clip"])
    func trainingMatchesPyTorch(_ name: String) throws {
        let configuration = try ConvNeXtConfiguration.load(from: Self.folder.appendingPathComponent("config.json"))
        let weights = try SafeTensorsFile(contentsOf: Self.folder.appendingPathComponent("model.safetensors"))
        var parameters: [String: Tensor] = [:]
        for key in weights.tensorNames {
            parameters[key.replacingOccurrences(of: #"^convnext\."#, with: "", options: .regularExpression)] = try weights.tensor(key)
        }
        let input = try SafeTensorsFile(contentsOf: Self.folder.appendingPathComponent("input.safetensors"))
        let expected = try SafeTensorsFile(contentsOf: Self.folder.appendingPathComponent("expected_\(name).safetensors"))
        let pixels = try input.tensor("pixel_values")
        let labels = try input.tensor("labels").scalars.map { Int($0) }
        let setting = { (key: String) in expected.metadata[key].flatMap(Double.init) }
        let steps = try #require(setting("steps").map { Int($0) })
        let schedule = CosineSchedule(baseValue: try #require(setting("lr")), finalValue: try #require(setting("min_lr")),
                                      totalIterations: steps, warmupIterations: Int(try #require(setting("warmup"))))
        let smoothing = Float(try #require(setting("label_smoothing")))

        var model = try TrainableConvNeXt(configuration: configuration, parameters: parameters)
        let groups = try ParameterGroups(model: model, weightDecay: try #require(setting("weight_decay")), layerDecay: setting("layer_decay"))
        var optimizer = try AdamW(groups: groups, betas: (0.9, 0.999), epsilon: 1e-8)
        let expectedLosses = try expected.tensor("loss").scalars
        let expectedRates = try expected.tensor("lr").scalars
        #expect(expectedLosses.count == steps)
        var worstLoss = 0.0
        for step in 0..<steps {
            #expect(abs(Float(schedule.value(at: step)) - expectedRates[step]) <= 1e-6 * expectedRates[step], "lr at step \(step)")
            let tape = Tape(pool: testPool)
            let loss = try model.forward(pixels, on: tape).crossEntropy(labels: labels, labelSmoothing: smoothing)
            var gradients = model.gradients(from: loss.backward())
            if let maxNorm = setting("clip_grad") { clipGradientNorm(&gradients, maxNorm: maxNorm) }
            try optimizer.step(&model.parameters, gradients: gradients, learningRate: schedule.value(at: step))
            let difference = Double(abs(loss.value.scalars[0] - expectedLosses[step])) / Double(expectedLosses[step])
            #expect(difference <= 0.01, "step \(step): loss \(loss.value.scalars[0]) vs PyTorch \(expectedLosses[step])")
            worstLoss = max(worstLoss, difference)
        }
        var worstParameter = (name: "", error: 0.0)
        for parameter in model.parameterNames {
            let error = relativeError(model.parameters[parameter]!.scalars, try expected.tensor("final." + parameter).scalars)
            if error > worstParameter.error { worstParameter = (parameter, error) }
        }
        #expect(worstParameter.error <= 1e-3, "final \(worstParameter.name) off by \(worstParameter.error) of max|p|")
        print("Optimizer parity \(name): \(steps) steps, worst loss difference \(worstLoss), "
              + "worst final parameter \(worstParameter.error) of max|p| (\(worstParameter.name))")
    }
}
