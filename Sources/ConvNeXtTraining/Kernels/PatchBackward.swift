import ConvNeXtKernels

/// The adjoint of `extractPatches`: writes each patch row back to its pixels of a
/// `[batch, height, width, channels]` image (col2im for non-overlapping patches). Pixels no
/// patch covers (the floor at the right and bottom edges) get 0.
func scatterPatches(
    _ patches: UnsafePointer<Float>, batch: Int, height: Int, width: Int, channels: Int,
    patchSize p: Int, output: UnsafeMutablePointer<Float>, pool: WorkerPool
) {
    let outHeight = height / p, outWidth = width / p
    if outHeight * p != height || outWidth * p != width {
        output.initialize(repeating: 0, count: batch * height * width * channels)
    }
    pool.parallelFor(batch * outHeight) { item in
        let n = item / outHeight, oh = item % outHeight
        for ow in 0..<outWidth {
            var source = patches + ((n &* outHeight &+ oh) &* outWidth &+ ow) &* p &* p &* channels
            for i in 0..<p {
                let target = output + ((n &* height &+ oh &* p &+ i) &* width &+ ow &* p) &* channels
                target.update(from: source, count: p &* channels)
                source += p &* channels
            }
        }
    }
}

/// The inverse of `patchFilterRows`: `[out, p·p·in]` rows (patch row, patch column, channel)
/// back to PyTorch's `[out, in, p, p]`.
func patchFilterWeights(_ rows: UnsafePointer<Float>, outputChannels: Int, inputChannels: Int, patchSize p: Int) -> [Float] {
    var weights = [Float](repeating: 0, count: outputChannels * inputChannels * p * p)
    for o in 0..<outputChannels {
        for c in 0..<inputChannels {
            for i in 0..<p {
                for j in 0..<p {
                    weights[((o * inputChannels + c) * p + i) * p + j] = rows[o * p * p * inputChannels + (i * p + j) * inputChannels + c]
                }
            }
        }
    }
    return weights
}
