import ConvNeXt
import ConvNeXtKernels

extension TrainableConvNeXt {
    /// Runs the model on a batch, recording every operation on `tape`.
    ///
    /// Each parameter enters the tape as a leaf named by its canonical name, so after
    /// `loss.backward()` the returned ``Gradients`` hold them by name (``gradients(from:)``).
    ///
    /// - Parameters:
    ///   - pixelValues: `[N, C, H, W]` (or `[N, H, W, C]` with `.channelsLast`) normalized pixels,
    ///     each side at least `configuration.minimumInputSize`.
    ///   - training: whether stochastic depth is active.
    ///   - dropPathRate: the last block's drop path rate (earlier blocks rise linearly to it);
    ///     `configuration.dropPathRate` when nil. Ignored unless `training`.
    ///   - generator: the source of drop path decisions.
    /// - Returns: `[N, num_labels]` logits for a classifier with labels, otherwise the pooled,
    ///   normalized `[N, C]` features (transformers' `pooler_output`).
    /// - Throws: `ConvNeXtError.invalidInput` for a wrong rank, channel count or size;
    ///   `ConvNeXtError.missingTensor` or `.shapeMismatch` when ``parameters`` lost an entry or
    ///   an entry changed shape.
    public func forward(
        _ pixelValues: Tensor, layout: TensorLayout = .channelsFirst, on tape: Tape,
        training: Bool, dropPathRate: Double? = nil, generator: inout some RandomNumberGenerator
    ) throws -> Variable {
        let image = try channelsLastInput(pixelValues, layout: layout)
        let shapes = Dictionary(self.layout.entries.map { ($0.name, $0.shape) }, uniquingKeysWith: { first, _ in first })
        func parameter(_ name: String) throws -> Variable {
            guard let tensor = parameters[name] else { throw ConvNeXtError.missingTensor(name: name) }
            let expected = shapes[name] ?? []
            guard tensor.shape == expected else { throw ConvNeXtError.shapeMismatch(name: name, expected: expected, found: tensor.shape) }
            return tape.parameter(tensor, name: name)
        }
        func norm(_ x: Variable, _ prefix: String, epsilon: Float = 1e-6) throws -> Variable {
            x.layerNorm(weight: try parameter(prefix + ".weight"), bias: try parameter(prefix + ".bias"), epsilon: epsilon)
        }
        let rates = training ? dropPathRates(maximum: dropPathRate ?? configuration.dropPathRate) : nil

        var x = tape.constant(image).patchConvolution(
            weight: try parameter("embeddings.patch_embeddings.weight"), bias: try parameter("embeddings.patch_embeddings.bias"))
        x = try norm(x, "embeddings.layernorm")
        for (stage, depth) in configuration.depths.enumerated() {
            let prefix = "encoder.stages.\(stage)"
            if stage > 0 {
                x = try norm(x, prefix + ".downsampling_layer.0").patchConvolution(
                    weight: try parameter(prefix + ".downsampling_layer.1.weight"), bias: try parameter(prefix + ".downsampling_layer.1.bias"))
            }
            for block in 0..<depth {
                let name = "\(prefix).layers.\(block)"
                var branch = x.depthwiseConvolution(weight: try parameter(name + ".dwconv.weight"), bias: try parameter(name + ".dwconv.bias"))
                branch = try norm(branch, name + ".layernorm")
                if activation == .gelu && configuration.generation == .v1 {
                    // One fused node: the 4C hidden activations are expanded and projected in cache.
                    branch = branch.geluMLP(
                        expand: try parameter(name + ".pwconv1.weight"), expandBias: try parameter(name + ".pwconv1.bias"),
                        project: try parameter(name + ".pwconv2.weight"), projectBias: try parameter(name + ".pwconv2.bias"))
                } else {
                    branch = branch.linear(weight: try parameter(name + ".pwconv1.weight"), bias: try parameter(name + ".pwconv1.bias"))
                        .activated(activation)
                    if configuration.generation == .v2 {
                        branch = branch.globalResponseNorm(weight: try parameter(name + ".grn.weight"), bias: try parameter(name + ".grn.bias"))
                    }
                    branch = branch.linear(weight: try parameter(name + ".pwconv2.weight"), bias: try parameter(name + ".pwconv2.bias"))
                }
                if configuration.hasLayerScale {
                    branch = branch.scalingChannels(by: try parameter(name + ".layer_scale_parameter"))
                }
                if let rates {
                    branch = branch.droppingPaths(rate: rates[stage][block], generator: &generator)
                }
                x = x + branch
            }
        }
        let pooled = try norm(x.meanOverPixels(), "layernorm", epsilon: Float(configuration.layerNormEps))
        guard architecture == .imageClassification, configuration.numLabels > 0 else { return pooled }
        return pooled.linear(weight: try parameter("classifier.weight"), bias: try parameter("classifier.bias"))
    }

    /// ``forward(_:layout:on:training:dropPathRate:generator:)`` in evaluation mode (no
    /// stochastic depth).
    public func forward(_ pixelValues: Tensor, layout: TensorLayout = .channelsFirst, on tape: Tape) throws -> Variable {
        var unused = SystemRandomNumberGenerator()
        return try forward(pixelValues, layout: layout, on: tape, training: false, generator: &unused)
    }

    /// Checks the input like `ConvNeXtModel.predict` and returns it as `[N, H, W, C]`.
    private func channelsLastInput(_ pixelValues: Tensor, layout: TensorLayout) throws -> Tensor {
        let (batch, channels, height, width) = try configuration.inputGeometry(of: pixelValues.shape, layout: layout)
        guard layout == .channelsFirst else { return pixelValues }
        return Tensor(shape: [batch, height, width, channels]) { output in
            pixelValues.withUnsafeBufferPointer {
                channelsFirstToLast($0.baseAddress!, batch: batch, channels: channels, height: height, width: width, output: output.baseAddress!)
            }
        }
    }
}
