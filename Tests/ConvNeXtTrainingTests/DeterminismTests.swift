import ConvNeXt
import ConvNeXtKernels
import ConvNeXtTraining
import Testing

/// The same inputs and thread count give bit-identical training (a trainer resumes bit for bit):
/// reductions across threads must combine partial sums in a fixed order, never in completion order.
struct DeterminismTests {
    /// Two AdamW steps of a small model, with stochastic depth; returns the second step's
    /// gradients and the parameters after it.
    private func twoSteps(generation: ConvNeXtConfiguration.Generation, threads: Int) throws -> ([String: Tensor], [String: Tensor]) {
        var configuration = ConvNeXtConfiguration()
        configuration.numStages = 2; configuration.hiddenSizes = [32, 48]; configuration.depths = [2, 1]
        configuration.id2label = Dictionary(uniqueKeysWithValues: (0..<10).map { ($0, "class \($0)") }); configuration.generation = generation
        var model = try TrainableConvNeXt(configuration: configuration, seed: 7)
        let pool = WorkerPool(threadCount: threads)
        var optimizer = try AdamW(groups: ParameterGroups(model: model, weightDecay: 0.05))
        optimizer.pool = pool
        var generator = SeededGenerator(seed: 8)
        var gradients: [String: Tensor] = [:]
        for step in 0..<2 {
            let pixels = randomTensor([4, 3, 48, 48], seed: 9 + UInt64(step))
            let tape = Tape(pool: pool)
            let logits = try model.forward(pixels, on: tape, training: true, dropPathRate: 0.3, generator: &generator)
            gradients = model.gradients(from: logits.crossEntropy(labels: [1, 3, 5, 7], labelSmoothing: 0.1).backward())
            try optimizer.step(&model.parameters, gradients: gradients, learningRate: 1e-3)
        }
        return (gradients, model.parameters)
    }

    @Test(arguments: [ConvNeXtConfiguration.Generation.v1, .v2])
    func trainingStepsAreBitReproducible(generation: ConvNeXtConfiguration.Generation) throws {
        let (gradients, parameters) = try twoSteps(generation: generation, threads: 2)
        let (again, parametersAgain) = try twoSteps(generation: generation, threads: 2)
        #expect(gradients.count > 10)
        for (name, gradient) in gradients {
            #expect(gradient.scalars == again[name]?.scalars, "\(name) differs between identical runs")
        }
        for (name, value) in parameters {
            #expect(value.scalars == parametersAgain[name]?.scalars, "\(name) differs between identical runs")
        }
    }
}
