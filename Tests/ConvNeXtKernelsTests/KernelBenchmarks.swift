import Foundation
import Testing
@testable import ConvNeXtKernels

/// Throughput of the hot kernels on ConvNeXt-T's shapes; run by hand, in a release build:
///
///     CONVNEXT_KERNEL_BENCH=1 swift test -c release -Xswiftc -enable-testing --filter KernelBenchmarks
///
/// for the portable build; for AVX-512 prefix `CONVNEXT_SIMD=avx512` and add a separate
/// `--scratch-path .build-avx512-test`. Prints GFLOP/s, best of several runs, for one thread
/// (thread CPU time) and two (wall time), each also as a share of the FMA peak measured at
/// the start of the same run. Not a pass/fail test: timings on a shared machine are noisy.
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["CONVNEXT_KERNEL_BENCH"] != nil))
struct KernelBenchmarks {
    /// Best seconds per call of `body` over ~0.6 s of repetitions: wall-clock time, or with
    /// `threadTime` the calling thread's CPU time (immune to preemption by other processes,
    /// right for single-threaded runs on a shared machine).
    func best(threadTime: Bool = false, _ body: () -> Void) -> Double {
        func now() -> Double { FMAPeak.clockSeconds(threadTime: threadTime) }
        body()
        var best = Double.infinity, spent = 0.0, runs = 0
        while spent < 0.6 || runs < 5 {
            let start = now()
            body()
            let seconds = now() - start
            best = min(best, seconds); spent += seconds; runs += 1
        }
        return best
    }

    static let pools = [WorkerPool(threadCount: 1), WorkerPool(threadCount: 2)]

    /// The vector multiply-add peak of 1 and 2 threads in GFLOP/s, measured once per run
    /// (independent multiply-add chains; see `FMAPeak`) so kernels report a share of it.
    static let peaks: [Double] = pools.map { FMAPeak.measure(pool: $0) }

    @Test func fmaPeak() {
        print(String(format: "FMA peak (16 independent vector multiply-add chains): 1 thread %.1f GFLOP/s, 2 threads %.1f GFLOP/s", Self.peaks[0], Self.peaks[1]))
    }

    @Test func matrixMultiply() {
        let shapes = [(3136, 96, 384), (3136, 384, 96), (784, 192, 768), (784, 768, 192),
                      (196, 384, 1536), (196, 1536, 384), (49, 768, 3072), (49, 3072, 768)]
        var random = SeededRandom(seed: 1)
        print(String(format: "GEMM M×K×N          epilogue    1 thread   2 threads  (GFLOP/s; %% of the FMA peak %.0f / %.0f)", Self.peaks[0], Self.peaks[1]))
        for (m, k, n) in shapes {
            let input = random.floats(m * k), weights = random.floats(n * k), bias = random.floats(n)
            let scale = UnsafeMutablePointer<Float>.allocate(capacity: n)
            defer { scale.deallocate() }
            scale.initialize(repeating: 0.5, count: n)
            let packed = weights.withUnsafeBufferPointer { PackedMatrix(weights: $0, outputCount: n, inputCount: k) }
            var output = [Float](repeating: 0, count: m * n)
            // pwconv1 (K < N) carries GELU; pwconv2 adds the scaled residual.
            let epilogue: MatrixEpilogue = k < n ? .activate(.gelu) : .addScaled(scale)
            for (name, e) in [("store", MatrixEpilogue.store), (k < n ? "gelu" : "residual", epilogue)] {
                var line = "\(m)×\(k)×\(n)".padding(toLength: 20, withPad: " ", startingAt: 0) + name.padding(toLength: 10, withPad: " ", startingAt: 0)
                for (pool, peak) in zip(Self.pools, Self.peaks) {
                    let seconds = output.withUnsafeMutableBufferPointer { out in
                        best(threadTime: pool.threadCount == 1) { ConvNeXtKernels.matrixMultiply(input, rows: m, weights: packed, bias: bias, output: out.baseAddress!, epilogue: e, pool: pool) }
                    }
                    let rate = 2 * Double(m * n * k) / seconds / 1e9
                    line += String(format: "%10.1f (%3.0f%%)", rate, 100 * rate / peak)
                }
                print(line)
            }
        }
    }

    /// A block's whole MLP (pwconv1 + GELU, pwconv2 + scale + residual) as the model runs it.
    @Test(arguments: [Activation.gelu, .identity]) func blockMLP(activation: Activation) {
        var random = SeededRandom(seed: 3)
        print(String(format: "MLP rows×C (hidden 4C, \(activation))  1 thread   2 threads  (GFLOP/s; %% of the FMA peak %.0f / %.0f)", Self.peaks[0], Self.peaks[1]))
        for (rows, c) in [(3136, 96), (784, 192), (196, 384), (49, 768)] {
            let input = random.floats(rows * c), w1 = random.floats(4 * c * c), b1 = random.floats(4 * c)
            let w2 = random.floats(c * 4 * c), b2 = random.floats(c), scale = random.floats(c)
            let expand = w1.withUnsafeBufferPointer { PackedMatrix(weights: $0, outputCount: 4 * c, inputCount: c) }
            let project = w2.withUnsafeBufferPointer { PackedMatrix(weights: $0, outputCount: c, inputCount: 4 * c) }
            var output = random.floats(rows * c)
            var line = "\(rows)×\(c)".padding(toLength: 30, withPad: " ", startingAt: 0)
            for (pool, peak) in zip(Self.pools, Self.peaks) {
                var scratch = [Float](repeating: 0, count: PointwiseMLPSchedule(rows: rows, hiddenCount: 4 * c, threads: pool.threadCount).scratchCount)
                let seconds = output.withUnsafeMutableBufferPointer { out in
                    scratch.withUnsafeMutableBufferPointer { hidden in
                        best(threadTime: pool.threadCount == 1) {
                            pointwiseMLP(input, rows: rows, expand: expand, expandBias: b1, activation: activation, project: project, projectBias: b2,
                                         layerScale: scale, output: out.baseAddress!, scratch: hidden.baseAddress!, pool: pool)
                        }
                    }
                }
                let rate = 4 * Double(rows * c * 4 * c) / seconds / 1e9
                line += String(format: "%10.1f (%3.0f%%)", rate, 100 * rate / peak)
            }
            print(line)
        }
    }

    /// Whole fused ConvNeXt blocks on 2 threads as the network runs them (output feeding the
    /// next call's input), per stage at batch 1 and 8: time per block, GFLOP/s, and how task 0
    /// spent it (depthwise + LayerNorm, expand + GELU, project), to compare with the kernels'
    /// stand-alone figures above.
    @Test func fusedBlock() {
        var random = SeededRandom(seed: 5)
        print("fused block N×H×W×C      µs/block  GFLOP/s (% peak)   task 0: depthwise  expand  project (µs)")
        for (batch, size, c) in [(1, 56, 96), (1, 28, 192), (1, 14, 384), (8, 56, 96), (8, 28, 192), (8, 14, 384), (8, 7, 768)] {
            let pool = Self.pools[1], hidden = 4 * c, pixels = batch * size * size
            guard let schedule = FusedBlockSchedule(batch: batch, height: size, width: size, channels: c, hiddenCount: hidden, threads: 2) else { continue }
            let taps = random.floats(c * 49), tapBias = random.floats(c), gamma = random.floats(c), beta = random.floats(c)
            let w1 = random.floats(hidden * c), b1 = random.floats(hidden), w2 = random.floats(c * hidden), b2 = random.floats(c)
            let scale = [Float](repeating: 1e-3, count: c)
            let filter = taps.withUnsafeBufferPointer { DepthwiseFilter(weights: $0, channels: c, kernelSize: 7) }
            let expand = w1.withUnsafeBufferPointer { PackedMatrix(weights: $0, outputCount: hidden, inputCount: c) }
            let project = w2.withUnsafeBufferPointer { PackedMatrix(weights: $0, outputCount: c, inputCount: hidden) }
            var buffers = [random.floats(pixels * c), [Float](repeating: 0, count: pixels * c)]
            var scratch = [Float](repeating: 0, count: schedule.scratchCount)
            var times: [Double] = []
            let phases = UnsafeMutablePointer<UInt64>.allocate(capacity: 3)
            defer { phases.deallocate() }
            phases.initialize(repeating: 0, count: 3)
            let calls = max(20, 2_000_000 / pixels)
            for call in 0..<calls {
                let (source, target) = (call % 2, 1 - call % 2)
                let input = buffers[source]
                let start = FMAPeak.clockSeconds(threadTime: false)
                gamma.withUnsafeBufferPointer { g in
                    beta.withUnsafeBufferPointer { b in
                        let norm = LayerNormParameters(weight: g.baseAddress!, bias: b.baseAddress!, epsilon: 1e-6)
                        convNeXtBlock(input, batch: batch, height: size, width: size, filter: filter, depthwiseBias: tapBias,
                                      normalization: norm, expand: expand, expandBias: b1, activation: .gelu, project: project,
                                      projectBias: b2, layerScale: scale, output: &buffers[target], scratch: &scratch,
                                      schedule: schedule, pool: pool, phaseNanoseconds: call >= calls / 2 ? phases : nil)
                    }
                }
                if call >= calls / 2 { times.append(FMAPeak.clockSeconds(threadTime: false) - start) }
            }
            let median = times.sorted()[times.count / 2]
            let flops = Double(pixels) * (4 * Double(c * hidden) + 98 * Double(c))
            let perCall = (0..<3).map { Double(phases[$0]) / Double(times.count) / 1e3 }
            print("\(batch)×\(size)×\(size)×\(c)".padding(toLength: 22, withPad: " ", startingAt: 0)
                  + String(format: "%10.1f %8.1f (%3.0f%%)  %12.1f %7.1f %8.1f", median * 1e6, flops / median / 1e9, 100 * flops / median / 1e9 / Self.peaks[1],
                           perCall[0], perCall[1], perCall[2]))
        }
    }

    /// The batch-1 shapes whose weights do not fit in cache, as the network meets them: each
    /// call takes the next of enough weight copies (over 64 MB) that every call streams its
    /// weights from memory; "warm" repeats one copy (its weights in L2/L3). Wall time, median
    /// of the calls. One thread is what each image stream of a batch meets.
    @Test func coldWeights() {
        var random = SeededRandom(seed: 4)
        print("cold-weight GEMM M×K×N   1 thread warm   1 thread cold   2 threads cold  (GFLOP/s; % of the FMA peak)")
        for (m, k, n) in [(49, 768, 3072), (49, 3072, 768), (49, 1536, 768), (196, 384, 1536), (196, 1536, 384)] {
            let copies = max(2, 64 * 1024 * 1024 / (4 * k * n) + 1)
            let weights = (0..<copies).map { _ in random.floats(n * k).withUnsafeBufferPointer { PackedMatrix(weights: $0, outputCount: n, inputCount: k) } }
            let input = random.floats(m * k), bias = random.floats(n)
            var output = [Float](repeating: 0, count: m * n)
            let epilogue: MatrixEpilogue = k < n ? .activate(.gelu) : .addScaled(nil)
            var line = "\(m)×\(k)×\(n)".padding(toLength: 24, withPad: " ", startingAt: 0)
            for (poolIndex, used) in [(0, 1), (0, copies), (1, copies)] {
                var times: [Double] = []
                output.withUnsafeMutableBufferPointer { out in
                    for round in 0..<(3 * used) {
                        let start = FMAPeak.clockSeconds(threadTime: false)
                        ConvNeXtKernels.matrixMultiply(input, rows: m, weights: weights[round % used], bias: bias, output: out.baseAddress!, epilogue: epilogue, pool: Self.pools[poolIndex])
                        if round >= used { times.append(FMAPeak.clockSeconds(threadTime: false) - start) }
                    }
                }
                let median = times.sorted()[times.count / 2]
                let rate = 2 * Double(m * n * k) / median / 1e9
                line += String(format: "%9.1f (%3.0f%%)  ", rate, 100 * rate / Self.peaks[poolIndex])
            }
            print(line)
        }
    }

    @Test func depthwiseAndNorms() {
        var random = SeededRandom(seed: 2)
        for (size, channels) in [(56, 96), (28, 192), (14, 384), (7, 768)] {
            let input = random.floats(size * size * channels), weights = random.floats(channels * 49), bias = random.floats(channels)
            let filter = weights.withUnsafeBufferPointer { DepthwiseFilter(weights: $0, channels: channels, kernelSize: 7) }
            var output = [Float](repeating: 0, count: input.count)
            var line = "depthwise 7×7 \(size)×\(size)×\(channels)".padding(toLength: 30, withPad: " ", startingAt: 0)
            for pool in Self.pools {
                let seconds = output.withUnsafeMutableBufferPointer { out in
                    best(threadTime: pool.threadCount == 1) { depthwiseConvolution(input, batch: 1, height: size, width: size, filter: filter, bias: bias, output: out.baseAddress!, pool: pool) }
                }
                line += String(format: "%8.1f µs %6.1f GFLOP/s  ", seconds * 1e6, Double(input.count * 98) / seconds / 1e9)
            }
            print(line)
            line = "layerNorm \(size * size)×\(channels)".padding(toLength: 30, withPad: " ", startingAt: 0)
            let gamma = random.floats(channels)
            for pool in Self.pools {
                let seconds = output.withUnsafeMutableBufferPointer { out in
                    best(threadTime: pool.threadCount == 1) { layerNorm(input, output: out.baseAddress!, rows: size * size, channels: channels, weight: gamma, bias: bias, epsilon: 1e-6, pool: pool) }
                }
                line += String(format: "%8.1f µs  ", seconds * 1e6)
            }
            print(line)
        }
        // Memory-sized, an MLP block's hidden rows (L2) and L1-sized; small ones repeated per timing.
        for (count, repeats) in [(3136 * 384, 1), (112 * 384, 20), (4096, 200)] {
            // Each repeat starts from the same values: GELU applied again and again in place
            // drives negative values toward zero and into subnormals, which are not what a
            // network feeds it and are slow on x86.
            let source = random.floats(count, in: -4...4)
            var values = source
            let seconds = values.withUnsafeMutableBufferPointer { buffer in
                source.withUnsafeBufferPointer { source in
                    best(threadTime: true) {
                        for _ in 0..<repeats {
                            buffer.baseAddress!.update(from: source.baseAddress!, count: count)
                            Activation.gelu.apply(to: buffer.baseAddress!, count: buffer.count)
                        }
                    }
                }
            } / Double(repeats)
            print(String(format: "GELU: %.3f ns per value (%d values in %.1f µs)", seconds * 1e9 / Double(count), count, seconds * 1e6))
        }
    }

    @Test func poolOverhead() {
        for pool in Self.pools {
            let seconds = best { for _ in 0..<1000 { pool.parallelFor(pool.threadCount) { _ in } } }
            print(String(format: "parallelFor fork/join, %d threads: %.2f µs", pool.threadCount, seconds * 1e3))
        }
    }

    @Test func accuracy() {
        let grid = (0...2_000_000).map { Float(-10 + Double($0) * 1e-5) }
        var result = grid
        result.withUnsafeMutableBufferPointer { Activation.map($0.baseAddress!, $0.count) { VectorMath.erf($0) } }
        let erfError = zip(grid, result).map { abs(Double($1) - Foundation.erf(Double($0))) }.max()!
        result = grid
        result.withUnsafeMutableBufferPointer { Activation.gelu.apply(to: $0.baseAddress!, count: $0.count) }
        var geluRelative = 0.0
        for (x, y) in zip(grid, result) where Double(x) >= -4 * 2.0.squareRoot() {
            let exact = 0.5 * Double(x) * Foundation.erfc(-Double(x) / 2.0.squareRoot())
            geluRelative = max(geluRelative, abs(Double(y) - exact) / max(abs(exact), 1e-37))
        }
        print("erf max abs error on [-10, 10]: \(erfError); GELU max relative error for x ≥ −4√2: \(geluRelative)")
    }
}

