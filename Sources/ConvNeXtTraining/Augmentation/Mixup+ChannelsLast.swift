import ConvNeXtKernels

extension Mixup {
    /// ``apply(images:labels:using:)`` for channels-last batches (`[N, H, W, C]`, as
    /// ``DataLoader`` delivers them), with the same random draws, so the same generator state
    /// gives the same mixing in either layout.
    ///
    /// Unlike timm, an odd batch is accepted: a batch can lose images to unreadable files,
    /// and the middle image then mixes with itself (its target stays its own label).
    public func apply(channelsLastImages images: inout Tensor, labels: [Int],
                      using generator: inout some RandomNumberGenerator) -> (targets: Tensor, outcome: Outcome) {
        let shape = images.shape
        precondition(shape.count == 4 && shape[0] == labels.count, "images must be [N, H, W, C] with N labels")
        precondition(labels.allSatisfy { (0..<classCount).contains($0) }, "label outside 0..<\(classCount)")
        let (n, height, width, channels) = (shape[0], shape[1], shape[2], shape[3])
        var (lambda, cutmix) = drawParameters(using: &generator)
        var outcome = Outcome(lambda: lambda, rows: nil, columns: nil)
        guard lambda != 1 && n > 0 else { return (targets(labels: labels, lambda: lambda), outcome) }
        let original = images.scalars
        let sampleSize = height * width * channels
        if cutmix {
            let box = Self.cutmixBox(height: height, width: width, lambda: lambda, using: &generator)
            lambda = box.lambda
            outcome = Outcome(lambda: lambda, rows: box.rows, columns: box.columns)
            images.withUnsafeMutableBufferPointer { x in
                for sample in 0..<n {
                    let source = (n - 1 - sample) * sampleSize
                    for row in box.rows {
                        // A box row is contiguous in channels-last layout.
                        let start = (row * width + box.columns.lowerBound) * channels
                        for offset in start..<(start + box.columns.count * channels) {
                            x[sample * sampleSize + offset] = original[source + offset]
                        }
                    }
                }
            }
        } else {
            let keep = Float(lambda), mix = Float(1 - lambda)
            images.withUnsafeMutableBufferPointer { x in
                for sample in 0..<n {
                    let source = (n - 1 - sample) * sampleSize
                    for offset in 0..<sampleSize {
                        x[sample * sampleSize + offset] = original[sample * sampleSize + offset] * keep
                            + original[source + offset] * mix
                    }
                }
            }
        }
        return (targets(labels: labels, lambda: lambda), outcome)
    }
}
