import ConvNeXtKernels
import Foundation

extension ConvNeXtModel {
    /// Runs the model on a batch of images.
    ///
    /// With at least one image per thread of ``pool`` (and at most 8 threads), whole rounds of
    /// images run as one-thread streams, each thread taking the next image through the whole
    /// network; the rest of the batch runs on all threads together. Results do not depend on
    /// how the batch was split beyond float rounding.
    ///
    /// - Parameters:
    ///   - pixelValues: `[N, C, H, W]` (or `[N, H, W, C]` with `.channelsLast`) normalized pixels;
    ///     H and W of at least ``ConvNeXtConfiguration/minimumInputSize`` (sizes floor at each stride).
    ///   - layout: the order of image-shaped inputs and outputs.
    ///   - outputHiddenStates: also return the stem's and every stage's output.
    ///   - profile: where to add the time each operation takes, if anywhere. With image
    ///     streams it times the first stream's images and then the rest of the batch, so its
    ///     total is the pass's wall time.
    /// - Throws: ``ConvNeXtError/invalidInput(_:)`` for a wrong rank, channel count or size, or
    ///   for pixel values that hold NaN or infinity. Finite inputs always give a result; values
    ///   large enough to overflow float arithmetic inside the network (LayerNorm squares them)
    ///   give non-finite outputs, as PyTorch does.
    public func predict(_ pixelValues: Tensor, layout: TensorLayout = .channelsFirst, outputHiddenStates: Bool = false, profile: InferenceProfile? = nil) throws -> ModelOutput {
        let (batch, _, height, width) = try configuration.inputGeometry(of: pixelValues.shape, layout: layout)
        if let index = pixelValues.withUnsafeBufferPointer(firstNonFiniteIndex) {
            throw ConvNeXtError.invalidInput("pixel values hold NaN or infinity (first at element \(index))")
        }

        let timer = PassTimer(profile: profile)
        defer { profile?.finishPass() }
        var keep = Set<Int>()
        if outputHiddenStates { keep.formUnion(0...stages.count) }
        for feature in outputFeatures { keep.insert(feature.index) }
        let (h, w) = InferencePlan.spatialSizes(configuration: configuration, height: height, width: width)[stages.count - 1]
        let channels = configuration.hiddenSizes[stages.count - 1]
        var kept: [Int: Tensor] = [:]
        // The last stage's output, channels-last, written by the network.
        let features = Tensor(shape: [batch, h, w, channels]) { buffer in
            kept = pixelValues.withUnsafeBufferPointer {
                runBatch($0.baseAddress!, layout: layout, batch: batch, height: height, width: width, keeping: keep,
                         timer: timer, features: buffer)
            }
        }

        var output = ModelOutput()
        if outputHiddenStates {
            output.hiddenStates = timer.time("layout", .layout) { (0...stages.count).map { convert(kept[$0]!, to: layout) } }
        }
        for feature in outputFeatures {
            var map = kept[feature.index]!
            let rows = map.shape[0] * map.shape[1] * map.shape[2]
            map.withUnsafeMutableBufferPointer { feature.norm.apply($0.baseAddress!, $0.baseAddress!, rows: rows, pool: pool) }
            output.featureMaps.append((feature.name, convert(map, to: layout)))
        }
        if let finalNorm {
            output.lastHiddenState = timer.time("layout", .layout) { convert(features, to: layout) }
            timer.time("head", .head) {
                var pooled = Tensor(shape: [batch, channels]) { pooled in
                    features.withUnsafeBufferPointer {
                        globalAveragePool($0.baseAddress!, batch: batch, pixels: h * w, channels: channels, output: pooled.baseAddress!)
                    }
                }
                pooled.withUnsafeMutableBufferPointer { finalNorm.apply($0.baseAddress!, $0.baseAddress!, rows: batch, pool: pool) }
                output.poolerOutput = pooled
                if let classifier {
                    output.logits = Tensor(shape: [batch, classifier.matrix.outputCount]) { logits in
                        pooled.withUnsafeBufferPointer { classifier.apply($0.baseAddress!, rows: batch, logits.baseAddress!, pool: pool) }
                    }
                } else if architecture == .imageClassification {
                    output.logits = pooled
                }
            }
        }
        return output
    }

    /// The stem and stages on `plan.batch` images in `layout`, on `pool`'s threads; returns
    /// copies of the hidden states whose indices are in `keeping` (0 is the stem) and where the
    /// last stage's output `[N, h, w, C]` is (`plan.x` or `plan.y`: fused blocks alternate
    /// between them).
    func runNetwork(_ image: UnsafePointer<Float>, layout: TensorLayout, plan: InferencePlan, keeping: Set<Int>,
                    timer: PassTimer, pool: WorkerPool) -> (kept: [Int: Tensor], features: UnsafeMutablePointer<Float>) {
        let sizes = configuration.hiddenSizes, batch = plan.batch
        let patches = plan.patches, hidden = plan.hidden
        // The residual stream, and the other activation buffer (depthwise output, or the next
        // residual stream when blocks run fused).
        var x = plan.x, y = plan.y
        var kept: [Int: Tensor] = [:]
        func snapshot(_ index: Int) {
            guard keeping.contains(index) else { return }
            let (h, w) = plan.spatial[max(index - 1, 0)]
            kept[index] = Tensor(shape: [batch, h, w, sizes[max(index - 1, 0)]]) { $0.baseAddress!.initialize(from: x, count: $0.count) }
        }

        timer.time("stem", .stem) {
            let (c, h, w) = (configuration.numChannels, plan.height, plan.width)
            let strides = layout == .channelsFirst ? (image: c * h * w, channel: h * w, row: w, pixel: 1) : (image: h * w * c, channel: 1, row: w * c, pixel: c)
            gatherPatches(image, batch: batch, height: h, width: w, channels: c,
                          imageStride: strides.image, channelStride: strides.channel, rowStride: strides.row, pixelStride: strides.pixel,
                          patchSize: configuration.patchSize, output: patches, pool: pool)
            stemNorm.withParameters { stem.linear.apply(patches, rows: plan.pixels[0], x, epilogue: .normalize($0), pool: pool) }
        }
        snapshot(0)

        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 3) { phases in
            for (index, stage) in stages.enumerated() {
                let (h, w) = plan.spatial[index], rows = plan.pixels[index]
                if let norm = stage.downsamplingNorm, let downsampling = stage.downsampling {
                    timer.time("stage \(index + 1)", .downsampling) {
                        let previous = plan.spatial[index - 1]
                        norm.withParameters {
                            extractNormalizedPatches(x, batch: batch, height: previous.height, width: previous.width, channels: sizes[index - 1],
                                                     patchSize: 2, normalization: $0, output: patches, pool: pool)
                        }
                        downsampling.linear.apply(patches, rows: rows, x, pool: pool)
                    }
                }
                for block in stage.blocks {
                    if let schedule = plan.fusedBlocks[index] {
                        runFused(block, input: x, output: y, batch: batch, height: h, width: w, schedule: schedule,
                                 scratch: hidden, phases: phases, stage: "stage \(index + 1)", timer: timer, pool: pool)
                        swap(&x, &y)
                        continue
                    }
                    timer.time("stage \(index + 1)", .depthwise) {
                        block.depthwiseBias.withUnsafeBufferPointer { bias in
                            block.norm.withParameters {
                                depthwiseConvolution(x, batch: batch, height: h, width: w, filter: block.depthwise,
                                                     bias: bias.baseAddress!, normalization: $0, output: y, pool: pool)
                            }
                        }
                    }
                    if let responseNorm = block.responseNorm {
                        timer.time("stage \(index + 1)", .expand) {
                            block.expand.apply(y, rows: rows, hidden, epilogue: .activate(activation), pool: pool)
                            responseNorm.weight.withUnsafeBufferPointer { weight in
                                responseNorm.bias.withUnsafeBufferPointer { bias in
                                    globalResponseNorm(hidden, batch: batch, pixels: h * w, channels: 4 * sizes[index],
                                                       weight: weight.baseAddress!, bias: bias.baseAddress!)
                                }
                            }
                        }
                        timer.time("stage \(index + 1)", .project) {
                            block.layerScale.withOptionalPointer {
                                block.project.apply(hidden, rows: rows, x, epilogue: .addScaled($0), pool: pool)
                            }
                        }
                    } else if let profile = timer.profile {
                        // The MLP is one parallel region; its time is split by the first task's phases.
                        phases.initialize(repeating: 0)
                        let start = DispatchTime.now().uptimeNanoseconds
                        block.applyMLP(y, rows: rows, output: x, scratch: hidden, activation: activation, pool: pool, phaseNanoseconds: phases.baseAddress!)
                        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
                        let share = Double(phases[0]) / Double(max(phases[0] + phases[1], 1))
                        profile.add("stage \(index + 1)", .expand, elapsed * share)
                        profile.add("stage \(index + 1)", .project, elapsed * (1 - share))
                    } else {
                        block.applyMLP(y, rows: rows, output: x, scratch: hidden, activation: activation, pool: pool, phaseNanoseconds: nil)
                    }
                }
                snapshot(index + 1)
            }
        }
        return (kept, x)
    }

    /// One block through ``convNeXtBlock``, from `input` into `output`; profiled by the first
    /// task's phases.
    private func runFused(_ block: BlockWeights, input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>,
                          batch: Int, height: Int, width: Int, schedule: FusedBlockSchedule, scratch: UnsafeMutablePointer<Float>,
                          phases: UnsafeMutableBufferPointer<UInt64>, stage: String, timer: PassTimer, pool: WorkerPool) {
        let start = DispatchTime.now().uptimeNanoseconds
        phases.initialize(repeating: 0)
        block.depthwiseBias.withUnsafeBufferPointer { depthwiseBias in
            block.norm.withParameters { norm in
                block.expand.bias.withUnsafeBufferPointer { expandBias in
                    block.project.bias.withUnsafeBufferPointer { projectBias in
                        block.layerScale.withOptionalPointer { scale in
                            convNeXtBlock(
                                input, batch: batch, height: height, width: width,
                                filter: block.depthwise, depthwiseBias: depthwiseBias.baseAddress!, normalization: norm,
                                expand: block.expand.matrix, expandBias: expandBias.baseAddress!, activation: activation,
                                project: block.project.matrix, projectBias: projectBias.baseAddress!, layerScale: scale,
                                output: output, scratch: scratch, schedule: schedule, pool: pool,
                                phaseNanoseconds: timer.profile == nil ? nil : phases.baseAddress!)
                        }
                    }
                }
            }
        }
        guard let profile = timer.profile else { return }
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let total = Double(max(phases[0] + phases[1] + phases[2], 1))
        profile.add(stage, .depthwise, elapsed * Double(phases[0]) / total)
        profile.add(stage, .expand, elapsed * Double(phases[1]) / total)
        profile.add(stage, .project, elapsed * Double(phases[2]) / total)
    }

    /// An NHWC tensor in the requested layout (2-D tensors pass through).
    private func convert(_ tensor: Tensor, to layout: TensorLayout) -> Tensor {
        guard layout == .channelsFirst, tensor.shape.count == 4 else { return tensor }
        let (n, h, w, c) = (tensor.shape[0], tensor.shape[1], tensor.shape[2], tensor.shape[3])
        return Tensor(shape: [n, c, h, w]) { output in
            tensor.withUnsafeBufferPointer {
                channelsLastToFirst($0.baseAddress!, batch: n, height: h, width: w, channels: c, output: output.baseAddress!)
            }
        }
    }
}
