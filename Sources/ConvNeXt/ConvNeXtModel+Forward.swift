import Foundation

extension ConvNeXtModel {
    /// Runs the model on a batch of images.
    ///
    /// - Parameters:
    ///   - pixelValues: `[N, C, H, W]` (or `[N, H, W, C]` with `.channelsLast`) normalized pixels;
    ///     H and W of at least ``ConvNeXtConfiguration/minimumInputSize`` (sizes floor at each stride).
    ///   - layout: the order of image-shaped inputs and outputs.
    ///   - outputHiddenStates: also return the stem's and every stage's output.
    ///   - profile: where to add the time each operation takes, if anywhere.
    /// - Throws: ``ConvNeXtError/invalidInput(_:)`` for a wrong rank, channel count or size.
    public func predict(_ pixelValues: Tensor, layout: TensorLayout = .channelsFirst, outputHiddenStates: Bool = false, profile: InferenceProfile? = nil) throws -> ModelOutput {
        let timer = PassTimer(profile: profile)
        defer { profile?.finishPass() }
        let shape = pixelValues.shape
        guard shape.count == 4 else {
            throw ConvNeXtError.invalidInput("pixel values must have 4 axes (\(layout == .channelsFirst ? "N, C, H, W" : "N, H, W, C")), got shape \(shape)")
        }
        let (batch, channels, height, width) = layout == .channelsFirst
            ? (shape[0], shape[1], shape[2], shape[3]) : (shape[0], shape[3], shape[1], shape[2])
        guard channels == configuration.numChannels else {
            throw ConvNeXtError.invalidInput("pixel values have \(channels) channels, the model expects \(configuration.numChannels)")
        }
        let minimum = configuration.minimumInputSize
        guard height >= minimum, width >= minimum else {
            throw ConvNeXtError.invalidInput("a \(height)x\(width) input is too small: both sides must be at least \(minimum)")
        }
        guard batch >= 1 else { throw ConvNeXtError.invalidInput("the batch is empty") }

        let image = layout == .channelsLast ? pixelValues : timer.time("layout", .layout) {
            Tensor(shape: [batch, height, width, channels]) { output in
                pixelValues.withUnsafeBufferPointer {
                    channelsFirstToLast($0.baseAddress!, batch: batch, channels: channels, height: height, width: width, output: output.baseAddress!)
                }
            }
        }
        var keep = Set<Int>()
        if outputHiddenStates { keep.formUnion(0...stages.count) }
        for feature in outputFeatures { keep.insert(feature.index) }
        let features = image.withUnsafeBufferPointer { runNetwork($0.baseAddress!, batch: batch, height: height, width: width, keeping: keep, timer: timer) }

        var output = ModelOutput()
        if outputHiddenStates {
            output.hiddenStates = (0...stages.count).map { convert(features.kept[$0]!, to: layout) }
        }
        for feature in outputFeatures {
            var map = features.kept[feature.index]!
            let rows = map.shape[0] * map.shape[1] * map.shape[2]
            map.withUnsafeMutableBufferPointer { feature.norm.apply($0.baseAddress!, $0.baseAddress!, rows: rows, pool: pool) }
            output.featureMaps.append((feature.name, convert(map, to: layout)))
        }
        if let finalNorm {
            output.lastHiddenState = timer.time("layout", .layout) { convert(features.last, to: layout) }
            let start = DispatchTime.now().uptimeNanoseconds
            defer { profile?.add("head", .head, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9) }
            let (pixels, width) = (features.last.shape[1] * features.last.shape[2], features.last.shape[3])
            var pooled = Tensor(shape: [batch, width]) { pooled in
                features.last.withUnsafeBufferPointer {
                    globalAveragePool($0.baseAddress!, batch: batch, pixels: pixels, channels: width, output: pooled.baseAddress!)
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
        return output
    }

    /// The stem and stages on a channels-last batch: the last stage's output and the
    /// hidden states whose indices are in `keeping` (0 is the stem), all `[N, h, w, C]`.
    private func runNetwork(_ image: UnsafePointer<Float>, batch: Int, height: Int, width: Int, keeping: Set<Int>, timer: PassTimer) -> (last: Tensor, kept: [Int: Tensor]) {
        let sizes = configuration.hiddenSizes
        var spatial = [(height / configuration.patchSize, width / configuration.patchSize)]
        for _ in 1..<stages.count { spatial.append((spatial[spatial.count - 1].0 / 2, spatial[spatial.count - 1].1 / 2)) }
        let pixels = spatial.map { batch * $0.0 * $0.1 }
        let activationCount = zip(pixels, sizes).map { $0 * $1 }.max()!
        let hiddenCount = zip(pixels, sizes).map { $0 * $1 * 4 }.max()!
        let patchCount = max(pixels[0] * configuration.numChannels * configuration.patchSize * configuration.patchSize,
                             (1..<stages.count).map { pixels[$0] * 4 * sizes[$0 - 1] }.max() ?? 0)
        let x = UnsafeMutablePointer<Float>.allocate(capacity: activationCount)
        let y = UnsafeMutablePointer<Float>.allocate(capacity: activationCount)
        let hidden = UnsafeMutablePointer<Float>.allocate(capacity: hiddenCount)
        let patches = UnsafeMutablePointer<Float>.allocate(capacity: patchCount)
        defer { x.deallocate(); y.deallocate(); hidden.deallocate(); patches.deallocate() }

        var kept: [Int: Tensor] = [:]
        func snapshot(_ index: Int) {
            guard keeping.contains(index) else { return }
            let (h, w) = spatial[max(index - 1, 0)]
            let channels = sizes[max(index - 1, 0)]
            kept[index] = Tensor(shape: [batch, h, w, channels]) { $0.baseAddress!.update(from: x, count: $0.count) }
        }

        timer.time("stem", .stem) {
            extractPatches(image, batch: batch, height: height, width: width, channels: configuration.numChannels,
                           patchSize: configuration.patchSize, output: patches, pool: pool)
            stem.linear.apply(patches, rows: pixels[0], x, pool: pool)
            stemNorm.apply(x, x, rows: pixels[0], pool: pool)
        }
        snapshot(0)

        for (index, stage) in stages.enumerated() {
            let (h, w) = spatial[index], rows = pixels[index], channels = sizes[index]
            let part = "stage \(index + 1)"
            if let norm = stage.downsamplingNorm, let downsampling = stage.downsampling {
                let start = DispatchTime.now().uptimeNanoseconds
                defer { timer.profile?.add(part, .downsampling, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9) }
                let (previousH, previousW) = spatial[index - 1]
                norm.apply(x, y, rows: pixels[index - 1], pool: pool)
                extractPatches(y, batch: batch, height: previousH, width: previousW, channels: sizes[index - 1],
                               patchSize: 2, output: patches, pool: pool)
                downsampling.linear.apply(patches, rows: rows, x, pool: pool)
            }
            for block in stage.blocks {
                timer.time(part, .depthwise) {
                    block.depthwiseBias.withUnsafeBufferPointer {
                        depthwiseConvolution(x, batch: batch, height: h, width: w, filter: block.depthwise,
                                             bias: $0.baseAddress!, output: y, pool: pool)
                    }
                }
                timer.time(part, .norm) { block.norm.apply(y, y, rows: rows, pool: pool) }
                timer.time(part, .expand) { block.expand.apply(y, rows: rows, hidden, epilogue: .activate(activation), pool: pool) }
                if let responseNorm = block.responseNorm {
                    responseNorm.weight.withUnsafeBufferPointer { weight in
                        responseNorm.bias.withUnsafeBufferPointer { bias in
                            globalResponseNorm(hidden, batch: batch, pixels: h * w, channels: 4 * channels,
                                               weight: weight.baseAddress!, bias: bias.baseAddress!)
                        }
                    }
                }
                timer.time(part, .project) {
                    if let layerScale = block.layerScale {
                        layerScale.withUnsafeBufferPointer {
                            block.project.apply(hidden, rows: rows, x, epilogue: .addScaled($0.baseAddress!), pool: pool)
                        }
                    } else {
                        block.project.apply(hidden, rows: rows, x, epilogue: .addScaled(nil), pool: pool)
                    }
                }
            }
            snapshot(index + 1)
        }
        let (h, w) = spatial[stages.count - 1]
        let last = Tensor(shape: [batch, h, w, sizes[stages.count - 1]]) { $0.baseAddress!.update(from: x, count: $0.count) }
        return (last, kept)
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
