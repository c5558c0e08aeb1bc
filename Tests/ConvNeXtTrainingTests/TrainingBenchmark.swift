import ConvNeXt
import ConvNeXtKernels
import ConvNeXtTraining
import Foundation
import Testing

/// Time of one training step (forward on the tape, cross-entropy with label smoothing 0.1,
/// backward, AdamW) at 224x224. Opt-in:
/// `CONVNEXT_TRAINING_BENCH=1 swift test -c release --filter TrainingBenchmark`;
/// `CONVNEXT_TRAINING_BENCH_VARIANT` (default atto) and `CONVNEXT_TRAINING_BENCH_BATCH` (default 8).
/// `convnext bench --training` measures the same step with medians over more iterations.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["CONVNEXT_TRAINING_BENCH"] != nil))
struct TrainingBenchmark {
    @Test func trainingStep() throws {
        let environment = ProcessInfo.processInfo.environment
        let variantName = environment["CONVNEXT_TRAINING_BENCH_VARIANT"] ?? "atto"
        let variant = try #require(ConvNeXtVariant(rawValue: variantName))
        let configuration = variant.configuration(numLabels: 1000)
        var model = try TrainableConvNeXt(configuration: configuration, seed: 1)
        var optimizer = try AdamW(groups: ParameterGroups(model: model, weightDecay: 0.05))
        let batch = Int(environment["CONVNEXT_TRAINING_BENCH_BATCH"] ?? "") ?? 8
        let pixels = randomTensor([batch, 3, 224, 224], seed: 2)
        let labels = (0..<batch).map { $0 * 97 % 1000 }
        let pool = WorkerPool()
        for iteration in 0..<3 {
            let start = Date()
            let tape = Tape(pool: pool)
            let loss = try model.forward(pixels, on: tape).crossEntropy(labels: labels, labelSmoothing: 0.1)
            let forward = Date()
            let gradients = model.gradients(from: loss.backward())
            let backward = Date()
            try optimizer.step(&model.parameters, gradients: gradients, learningRate: 1e-4)
            let end = Date()
            print("\(variantName) " + String(format: "batch %d step %d: forward %.0f ms, backward %.0f ms, optimizer %.0f ms (%d threads)",
                         batch, iteration, forward.timeIntervalSince(start) * 1000, backward.timeIntervalSince(forward) * 1000,
                         end.timeIntervalSince(backward) * 1000, pool.threadCount))
        }
    }
}
