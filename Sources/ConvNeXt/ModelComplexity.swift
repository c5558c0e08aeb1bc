/// Parameter and multiply-add counts of a model at an input size.
///
/// Multiply-adds count convolutions and linear layers (one per weight use), the convention
/// of the paper's table (fvcore); normalization, activation and pooling are not counted.
/// ConvNeXt-T at 224 with 1000 classes: 28.59 M parameters, 4.46 G multiply-adds.
public struct ModelComplexity: Sendable, Equatable {
    /// The number of parameters.
    public let parameters: Int
    /// Multiply-accumulate operations for one image.
    public let multiplyAdds: Int

    /// Floating-point operations for one image: two per multiply-add.
    public var flops: Int { 2 * multiplyAdds }

    /// Counts `architecture` built from `configuration` for one `height`×`width` image.
    public init(configuration: ConvNeXtConfiguration, architecture: ModelArchitecture = .imageClassification, height: Int, width: Int) throws {
        parameters = try ParameterLayout(configuration: configuration, architecture: architecture).parameterCount
        guard (1...65536).contains(height), (1...65536).contains(width) else {
            throw ConvNeXtError.invalidInput("input sides must be in 1...65536, got \(height)x\(width)")
        }
        let sizes = configuration.hiddenSizes, p = configuration.patchSize
        var h = height / p, w = width / p
        guard h >= 1, w >= 1 else {
            throw ConvNeXtError.invalidInput("a \(height)x\(width) input is smaller than the patch size \(p)")
        }
        var macs = try countProduct(h, w, sizes[0], configuration.numChannels, p, p)
        for (stage, depth) in configuration.depths.enumerated() {
            let c = sizes[stage]
            if stage > 0 {
                h /= 2; w /= 2
                guard h >= 1, w >= 1 else {
                    throw ConvNeXtError.invalidInput("a \(height)x\(width) input vanishes before stage \(stage + 1); the minimum side is \(configuration.minimumInputSize)")
                }
                macs = try countSum(macs, countProduct(h, w, c, sizes[stage - 1], 4))
            }
            macs = try countSum(macs, countProduct(depth, h, w, c, 49 + 8 * c))
        }
        if architecture == .imageClassification { macs = try countSum(macs, countProduct(sizes[sizes.count - 1], configuration.numLabels)) }
        multiplyAdds = macs
    }
}

/// A product of counts, or an error when it does not fit in an `Int`.
private func countProduct(_ factors: Int...) throws -> Int {
    try factors.reduce(1) { product, factor in
        let (result, overflow) = product.multipliedReportingOverflow(by: factor)
        if overflow { throw ConvNeXtError.invalidInput("the model is too large to count its operations") }
        return result
    }
}

/// A sum of counts, or an error when it does not fit in an `Int`.
private func countSum(_ a: Int, _ b: Int) throws -> Int {
    let (result, overflow) = a.addingReportingOverflow(b)
    if overflow { throw ConvNeXtError.invalidInput("the model is too large to count its operations") }
    return result
}
