import ConvNeXt
import ConvNeXtKernels
import ConvNeXtTraining
import Testing

/// Gradient clipping, accumulation, EMA and the head initialization scale.
@Suite struct TrainingUtilityTests {
    @Test func clippingScalesOnlyAboveTheMaximum() {
        var gradients = ["a": Tensor(shape: [2], scalars: [3, 0]), "b": Tensor(shape: [1], scalars: [4])]
        #expect(clipGradientNorm(&gradients, maxNorm: 10) == 5)
        #expect(gradients["a"]?.scalars == [3, 0])
        #expect(clipGradientNorm(&gradients, maxNorm: 1) == 5)
        let scale = Float(1 / (5 + 1e-6))
        #expect(gradients["a"]?.scalars == [3 * scale, 0] && gradients["b"]?.scalars == [4 * scale])
        #expect(abs(totalGradientNorm(gradients) - 1) < 1e-6)
    }

    @Test func accumulationSumsAndAverages() {
        var accumulator = GradientAccumulator()
        accumulator.add(["a": Tensor(shape: [2], scalars: [1, 2])])
        accumulator.add(["a": Tensor(shape: [2], scalars: [3, 6]), "b": Tensor(shape: [1], scalars: [4])])
        #expect(accumulator.count == 2)
        #expect(accumulator.sum["a"]?.scalars == [4, 8])
        #expect(accumulator.average["a"]?.scalars == [2, 4] && accumulator.average["b"]?.scalars == [2])
        accumulator.reset()
        #expect(accumulator.count == 0 && accumulator.sum.isEmpty)
    }

    @Test func emaMovesTowardTheModel() {
        var ema = ModelEMA(parameters: ["p": Tensor(shape: [2], scalars: [0, 10])], decay: 0.75)
        ema.update(with: ["p": Tensor(shape: [2], scalars: [4, 2]), "other": Tensor(shape: [1])])
        #expect(ema.parameters["p"]?.scalars == [1, 8])
        #expect(ema.parameters["other"] == nil)
    }

    @Test func headInitScaleMultipliesTheClassifier() throws {
        var configuration = ConvNeXtConfiguration()
        configuration.numStages = 2; configuration.hiddenSizes = [8, 16]; configuration.depths = [1, 1]; configuration.id2label = [0: "a", 1: "b", 2: "c"]
        let layout = try ParameterLayout(configuration: configuration, architecture: .imageClassification)
        var model = try TrainableConvNeXt(configuration: configuration, parameters: randomParameters(layout, seed: 5))
        let before = model.parameters
        try model.scaleHead(by: 0.001)
        for name in model.parameterNames {
            let expected = name.hasPrefix("classifier.") ? before[name]!.scalars.map { $0 * 0.001 } : before[name]!.scalars
            #expect(model.parameters[name]?.scalars == expected, "\(name)")
        }
        var base = try TrainableConvNeXt(configuration: configuration, architecture: .base, seed: 1)
        #expect(throws: ConvNeXtError.self) { try base.scaleHead(by: 0.001) }
    }
}
