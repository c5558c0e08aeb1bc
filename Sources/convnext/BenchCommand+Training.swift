import ConvNeXt
import ConvNeXtTraining
import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension BenchCommand {
    /// Times full training steps: forward on a tape, cross-entropy with label smoothing 0.1,
    /// backward, and an AdamW step over the recipe's parameter groups (weight decay 0.05).
    /// A `--model` folder contributes its configuration only: step time does not depend on the
    /// weights' values, so the model starts from random initialization either way.
    func runTraining(pool: WorkerPool) throws {
        let configuration: ConvNeXtConfiguration
        let architecture: ModelArchitecture
        if let variant = variant.flatMap(ConvNeXtVariant.init(rawValue:)) {
            (configuration, architecture) = (variant.configuration(), .imageClassification)
        } else {
            let description = try ModelFolder(URL(fileURLWithPath: model!)).describe()
            (configuration, architecture) = (description.configuration, description.architecture == .backbone ? .base : description.architecture)
        }
        var network = try TrainableConvNeXt(configuration: configuration, architecture: architecture, seed: 0)
        var optimizer = try AdamW(groups: ParameterGroups(model: network, weightDecay: 0.05))
        optimizer.pool = pool
        let side = imageSize ?? configuration.imageSize
        var generator = SeededGenerator(seed: 1)
        let input = Tensor(shape: [batch, configuration.numChannels, side, side]) { values in
            for index in values.indices { values[index] = generator.nextGaussian() }
        }
        let classes = max(configuration.numLabels, 1)
        let labels = (0..<batch).map { $0 * 97 % classes }

        /// One step's phases in seconds: forward (with the loss), backward, optimizer.
        func step() throws -> (Double, Double, Double) {
            let start = DispatchTime.now().uptimeNanoseconds
            let tape = Tape(pool: pool)
            let output = try network.forward(input, on: tape)
            let loss = architecture == .imageClassification
                ? output.crossEntropy(labels: labels, labelSmoothing: 0.1)
                : output.softCrossEntropy(targets: Tensor(shape: output.shape, repeating: 1 / Float(output.shape[1])))
            let forwardEnd = DispatchTime.now().uptimeNanoseconds
            let gradients = network.gradients(from: loss.backward())
            let backwardEnd = DispatchTime.now().uptimeNanoseconds
            try optimizer.step(&network.parameters, gradients: gradients, learningRate: 1e-4)
            let end = DispatchTime.now().uptimeNanoseconds
            return (Double(forwardEnd - start) / 1e9, Double(backwardEnd - forwardEnd) / 1e9, Double(end - backwardEnd) / 1e9)
        }
        for _ in 0..<2 { _ = try step() }
        var phases: [(Double, Double, Double)] = []
        let cpuStart = processCPUSeconds()
        for _ in 0..<iterations { phases.append(try step()) }
        let cpuPerStep = (processCPUSeconds() - cpuStart) / Double(iterations)

        func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
        let totals = phases.map { $0.0 + $0.1 + $0.2 }.sorted()
        let total = median(totals)
        print("training: \(variant.map { "convnext-\($0)" } ?? model!), \(side)x\(side), batch \(batch), threads \(pool.threadCount)")
        print(String(format: "step: median %.1f ms, min %.1f ms, max %.1f ms (%d steps)", total * 1e3, totals[0] * 1e3, totals[totals.count - 1] * 1e3, iterations))
        print(String(format: "phases (median): forward %.1f ms, backward %.1f ms, optimizer %.1f ms",
                     median(phases.map(\.0)) * 1e3, median(phases.map(\.1)) * 1e3, median(phases.map(\.2)) * 1e3))
        print(String(format: "throughput: %.2f images/s", Double(batch) / total))
        // CPU time is less disturbed than wall time by other processes on a shared machine.
        print(String(format: "process CPU time: %.2f s per step (all threads)", cpuPerStep))
        print(String(format: "peak resident memory: %.1f MB", peakResidentMegabytes()))
        if printSteps {
            // For scripts/bench_training.py: every timed step's phases in ms.
            for (f, b, o) in phases { print(String(format: "step-phases-ms: %.3f %.3f %.3f", f * 1e3, b * 1e3, o * 1e3)) }
        }
    }

    /// User plus system CPU time of the whole process so far.
    private func processCPUSeconds() -> Double {
        var usage = rusage()
        #if os(Linux)
        getrusage(RUSAGE_SELF.rawValue, &usage)
        #else
        getrusage(RUSAGE_SELF, &usage)
        #endif
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }
}
