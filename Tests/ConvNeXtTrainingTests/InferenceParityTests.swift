import ConvNeXt
import ConvNeXtKernels
import ConvNeXtTraining
import Testing

/// The differentiable forward pass in evaluation mode against `ConvNeXtModel.predict`.
@Suite struct InferenceParityTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let configure: @Sendable (inout ConvNeXtConfiguration) -> Void
        var architecture = ModelArchitecture.imageClassification
        let input: [Int]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "V1 layer scale, 4 stages", configure: {
            $0.hiddenSizes = [8, 12, 16, 20]; $0.depths = [1, 2, 1, 1]; $0.setNumLabels(5)
        }, input: [2, 3, 40, 35]),
        Case(name: "V2, patch 2, 1 channel", configure: {
            $0.generation = .v2; $0.numStages = 3; $0.hiddenSizes = [8, 12, 16]; $0.depths = [1, 1, 2]
            $0.patchSize = 2; $0.numChannels = 1; $0.setNumLabels(3)
        }, input: [2, 1, 19, 21]),
        Case(name: "no layer scale, tanh GELU, layer_norm_eps 1e-6", configure: {
            $0.numStages = 2; $0.hiddenSizes = [12, 8]; $0.depths = [2, 1]; $0.layerScaleInitValue = 0
            $0.hiddenAct = "gelu_new"; $0.layerNormEps = 1e-6; $0.setNumLabels(4)
        }, input: [1, 3, 13, 9]),
        Case(name: "no labels (identity head)", configure: {
            $0.numStages = 2; $0.hiddenSizes = [8, 16]; $0.depths = [1, 1]; $0.setNumLabels(0)
        }, input: [3, 3, 8, 12]),
        Case(name: "base model (pooled output)", configure: {
            $0.numStages = 2; $0.hiddenSizes = [8, 16]; $0.depths = [1, 1]; $0.hiddenAct = "silu"
        }, architecture: .base, input: [1, 3, 11, 8]),
    ]

    @Test(arguments: cases)
    func evaluationForwardMatchesInference(_ testCase: Case) throws {
        var configuration = ConvNeXtConfiguration()
        testCase.configure(&configuration)
        let layout = try ParameterLayout(configuration: configuration, architecture: testCase.architecture)
        let parameters = randomParameters(layout, seed: 40)
        let model = try TrainableConvNeXt(configuration: configuration, architecture: testCase.architecture, parameters: parameters)
        let reference = try ConvNeXtModel(configuration: configuration, architecture: testCase.architecture, parameters: parameters, pool: testPool)
        let pixels = randomTensor(testCase.input, seed: 41)

        let output = try model.forward(pixels, on: Tape(pool: testPool))
        let predicted = try reference.predict(pixels)
        let expected = try #require(predicted.logits ?? predicted.poolerOutput)
        #expect(output.shape == expected.shape)
        let error = relativeError(output.value.scalars, expected.scalars)
        print("inference parity \(testCase.name): relative error \(error)")
        #expect(error <= 1e-5)
    }

    @Test func trainingModeWithoutDropPathEqualsEvaluation() throws {
        var configuration = ConvNeXtConfiguration()
        configuration.numStages = 2; configuration.hiddenSizes = [8, 8]; configuration.depths = [2, 1]
        let model = try TrainableConvNeXt(configuration: configuration,
                                          parameters: randomParameters(try ParameterLayout(configuration: configuration, architecture: .imageClassification), seed: 42))
        let pixels = randomTensor([4, 3, 8, 8], seed: 43)
        var generator = SeededGenerator(seed: 44)
        let evaluation = try model.forward(pixels, on: Tape(pool: testPool)).value
        let undropped = try model.forward(pixels, on: Tape(pool: testPool), training: true, generator: &generator).value
        #expect(undropped == evaluation)
        let dropped = try model.forward(pixels, on: Tape(pool: testPool), training: true, dropPathRate: 0.5, generator: &generator).value
        #expect(dropped != evaluation)
        #expect(model.dropPathRates(maximum: 0.5) == [[0, 0.25], [0.5]])
    }

    @Test func rejectsMisshapenParameters() throws {
        var configuration = ConvNeXtConfiguration()
        configuration.numStages = 1; configuration.hiddenSizes = [8]; configuration.depths = [1]
        let layout = try ParameterLayout(configuration: configuration, architecture: .imageClassification)
        var parameters = randomParameters(layout, seed: 45)
        parameters["layernorm.weight"] = Tensor(shape: [9])
        #expect(throws: ConvNeXtError.shapeMismatch(name: "layernorm.weight", expected: [8], found: [9])) {
            try TrainableConvNeXt(configuration: configuration, parameters: parameters)
        }
        parameters["layernorm.weight"] = nil
        #expect(throws: ConvNeXtError.missingTensor(name: "layernorm.weight")) {
            try TrainableConvNeXt(configuration: configuration, parameters: parameters)
        }
        var model = try TrainableConvNeXt(configuration: configuration, parameters: randomParameters(layout, seed: 46))
        model.parameters["classifier.bias"] = Tensor(shape: [3])
        #expect(throws: ConvNeXtError.shapeMismatch(name: "classifier.bias", expected: [2], found: [3])) {
            try model.forward(randomTensor([1, 3, 4, 4], seed: 47), on: Tape(pool: testPool))
        }
    }
}
