import ArgumentParser
import ConvNeXt
import Foundation
#if canImport(Glibc)
import Glibc
#endif

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure inference (or, with --training, training-step) latency, throughput and memory on random input."
    )

    @Option(help: "A named variant with random weights: \(ConvNeXtVariant.allCases.map(\.rawValue).joined(separator: ", ")).")
    var variant: String?

    @Option(help: "A model folder instead of a variant.")
    var model: String?

    @Option(help: "Images per forward pass.")
    var batch = 1

    @Option(help: "Input side in pixels (default: the configuration's image_size).")
    var imageSize: Int?

    @Option(help: "Threads (default: the cores available to this process).")
    var threads: Int?

    @Option(help: "Timed forward passes (after two warm-up passes).")
    var iterations = 20

    @Flag(help: "Also time each operation and print a breakdown by stage and kind (after the timed passes).")
    var profile = false

    @Flag(help: "Put weights and buffers of 2 MB or more on transparent huge pages (Linux; see TensorMemoryCache.usesHugePages).")
    var hugePages = false

    @Flag(help: "Time full training steps instead: forward on a tape, cross-entropy (label smoothing 0.1), backward, AdamW.")
    var training = false

    @Flag(help: .hidden)
    var printSteps = false

    func validate() throws {
        guard (model == nil) != (variant == nil) else { throw ValidationError("give exactly one of --model or --variant") }
        if let variant, ConvNeXtVariant(rawValue: variant) == nil { throw ValidationError("unknown variant '\(variant)'") }
        guard batch >= 1, iterations >= 1 else { throw ValidationError("--batch and --iterations must be at least 1") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
        if training && profile { throw ValidationError("--profile times inference only; drop it with --training") }
    }

    func run() throws {
        let pool = WorkerPool(threadCount: threads ?? WorkerPool.availableCores)
        TensorMemoryCache.usesHugePages = hugePages
        if training { return try runTraining(pool: pool) }
        let network: ConvNeXtModel
        let loadStart = DispatchTime.now().uptimeNanoseconds
        if let variant = variant.flatMap(ConvNeXtVariant.init(rawValue:)) {
            let configuration = variant.configuration()
            let layout = try ParameterLayout(configuration: configuration, architecture: .imageClassification)
            network = try ConvNeXtModel(configuration: configuration, architecture: .imageClassification,
                                        source: layout.initialParameterSource(configuration: configuration, seed: 0), pool: pool)
        } else {
            network = try ModelFolder(URL(fileURLWithPath: model!)).loadModel(pool: pool)
        }
        let loadSeconds = Double(DispatchTime.now().uptimeNanoseconds - loadStart) / 1e9
        let configuration = network.configuration
        let side = imageSize ?? configuration.imageSize
        var generator = SeededGenerator(seed: 1)
        let input = Tensor(shape: [batch, configuration.numChannels, side, side]) { values in
            for index in values.indices { values[index] = generator.nextGaussian() }
        }
        for _ in 0..<2 { _ = try network.predict(input) }
        var seconds: [Double] = [], cpuSeconds: [Double] = []
        for _ in 0..<iterations {
            let start = DispatchTime.now().uptimeNanoseconds, cpuStart = threadCPUSeconds()
            _ = try network.predict(input)
            seconds.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            cpuSeconds.append(threadCPUSeconds() - cpuStart)
        }
        seconds.sort()
        cpuSeconds.sort()
        let median = seconds[seconds.count / 2]
        let flops = Double(try ModelComplexity(configuration: configuration, architecture: network.architecture, height: side, width: side).flops)
        print("model: \(variant.map { "convnext-\($0)" } ?? model!), \(side)x\(side), batch \(batch), threads \(pool.threadCount)")
        print(String(format: "model build: %.0f ms (%@)", loadSeconds * 1e3, model == nil ? "random weights" : "read from the folder"))
        print(String(format: "latency: median %.2f ms, min %.2f ms, max %.2f ms (%d runs)", median * 1e3, seconds[0] * 1e3, seconds[seconds.count - 1] * 1e3, iterations))
        if pool.threadCount == 1 {
            // Immune to preemption by other processes, so comparable on a busy machine.
            print(String(format: "thread CPU time: median %.2f ms, min %.2f ms", cpuSeconds[cpuSeconds.count / 2] * 1e3, cpuSeconds[0] * 1e3))
        }
        print(String(format: "per image: %.2f ms, %.1f images/s", median * 1e3 / Double(batch), Double(batch) / median))
        print(String(format: "throughput: %.1f GFLOP/s", flops * Double(batch) / median / 1e9))
        print(String(format: "peak resident memory: %.1f MB", peakResidentMegabytes()))
        if profile {
            let breakdown = InferenceProfile()
            for _ in 0..<iterations { _ = try network.predict(input, profile: breakdown) }
            printProfile(breakdown)
        }
    }

    /// A table of milliseconds per pass and share of the total, by part then by operation.
    private func printProfile(_ profile: InferenceProfile) {
        let passes = Double(max(profile.passes, 1))
        let total = profile.seconds.values.reduce(0, +) / passes
        let operations = InferenceProfile.Operation.allCases.filter { op in profile.seconds.keys.contains { $0.operation == op } }
        print(String(format: "\nprofile (mean of %d passes, %.2f ms timed):", profile.passes, total * 1e3))
        print("part".padding(toLength: 9, withPad: " ", startingAt: 0)
              + operations.map { $0.rawValue.leftPadded(13) }.joined() + "total".leftPadded(9) + "%".leftPadded(7))
        func row(_ name: String, _ value: (InferenceProfile.Operation) -> Double) {
            let values = operations.map(value)
            let sum = values.reduce(0, +)
            print(name.padding(toLength: 9, withPad: " ", startingAt: 0)
                  + values.map { ($0 == 0 ? "-" : String(format: "%.2f", $0 * 1e3)).leftPadded(13) }.joined()
                  + String(format: "%.2f", sum * 1e3).leftPadded(9) + String(format: "%.1f", 100 * sum / total).leftPadded(7))
        }
        for part in profile.parts {
            row(part) { (profile.seconds[InferenceProfile.Key(part: part, operation: $0)] ?? 0) / passes }
        }
        row("all") { op in profile.seconds.filter { $0.key.operation == op }.values.reduce(0, +) / passes }
        print("%".padding(toLength: 9, withPad: " ", startingAt: 0) + operations.map { op in
            String(format: "%.1f", 100 * profile.seconds.filter { $0.key.operation == op }.values.reduce(0, +) / passes / total).leftPadded(13)
        }.joined())
    }

    func threadCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    func peakResidentMegabytes() -> Double {
        var usage = rusage()
        #if os(Linux)
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024  // kilobytes on Linux
        #else
        getrusage(RUSAGE_SELF, &usage)
        return Double(usage.ru_maxrss) / 1_048_576  // bytes on macOS
        #endif
    }
}

private extension String {
    func leftPadded(_ width: Int) -> String { count >= width ? " " + self : String(repeating: " ", count: width - count) + self }
}
