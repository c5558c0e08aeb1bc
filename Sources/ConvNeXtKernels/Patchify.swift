/// Gathers the non-overlapping `patchSize`×`patchSize` patches of a channels-last image batch
/// into rows, so that a stride-`patchSize` convolution becomes a matrix multiply.
///
/// Output is `[batch · (height/p) · (width/p), p · p · channels]`, each row ordered
/// (row in patch, column in patch, channel); sizes floor like PyTorch's convolution.
public func extractPatches(
    _ input: UnsafePointer<Float>, batch: Int, height: Int, width: Int, channels: Int,
    patchSize p: Int, output: UnsafeMutablePointer<Float>, pool: WorkerPool
) {
    let outHeight = height / p, outWidth = width / p
    pool.parallelFor(batch * outHeight) { item in
        let n = item / outHeight, oh = item % outHeight
        for ow in 0..<outWidth {
            var y = output + ((n * outHeight + oh) * outWidth + ow) * p * p * channels
            for i in 0..<p {
                let x = input + ((n * height + oh * p + i) * width + ow * p) * channels
                y.update(from: x, count: p * channels)
                y += p * channels
            }
        }
    }
}

/// Reorders PyTorch convolution weights `[out, in, p, p]` into the `[out, p·p·in]` rows that
/// match ``extractPatches(_:batch:height:width:channels:patchSize:output:pool:)``.
public func patchFilterRows(_ weights: UnsafeBufferPointer<Float>, outputChannels: Int, inputChannels: Int, patchSize p: Int) -> [Float] {
    precondition(weights.count == outputChannels * inputChannels * p * p, "convolution weights hold \(weights.count) values")
    var rows = [Float](repeating: 0, count: weights.count)
    for o in 0..<outputChannels {
        for c in 0..<inputChannels {
            for i in 0..<p {
                for j in 0..<p {
                    rows[o * p * p * inputChannels + (i * p + j) * inputChannels + c] = weights[((o * inputChannels + c) * p + i) * p + j]
                }
            }
        }
    }
    return rows
}

/// LayerNorm of every pixel of a channels-last batch, written as the rows of non-overlapping
/// `patchSize`×`patchSize` patches (ConvNeXt's downsampling: norm, then a stride-p convolution).
///
/// Output is as ``extractPatches(_:batch:height:width:channels:patchSize:output:pool:)``'s,
/// each pixel normalized while it is copied, so the norm costs no pass of its own.
public func extractNormalizedPatches(
    _ input: UnsafePointer<Float>, batch: Int, height: Int, width: Int, channels: Int,
    patchSize p: Int, normalization norm: LayerNormParameters,
    output: UnsafeMutablePointer<Float>, pool: WorkerPool
) {
    let outHeight = height / p, outWidth = width / p
    pool.parallelFor(batch * outHeight) { item in
        let n = item / outHeight, oh = item % outHeight
        for ow in 0..<outWidth {
            let y = output + ((n &* outHeight &+ oh) &* outWidth &+ ow) &* p &* p &* channels
            let x = input + ((n &* height &+ oh &* p) &* width &+ ow &* p) &* channels
            if p == 2 && channels % vectorLanes == 0 {
                // ConvNeXt's downsampling: a patch's four pixels side by side.
                let below = x + width &* channels
                normalizeFourRows((x, x + channels, below, below + channels),
                                  (y, y + channels, y + 2 &* channels, y + 3 &* channels), channels, norm.weight, norm.bias, norm.epsilon)
                continue
            }
            for i in 0..<p {
                normalizeRows(x + i &* width &* channels, y + i &* p &* channels, rows: p, stride: channels,
                              channels, norm.weight, norm.bias, norm.epsilon)
            }
        }
    }
}

/// Gathers `patchSize`×`patchSize` patches of an image batch of either layout into rows
/// ordered (channel, row in patch, column in patch), PyTorch's flattening of a `[out, in, p, p]`
/// convolution weight, so the stem needs no reordered filter and no layout conversion.
///
/// Element (n, c, h, w) of the input is at `n·imageStride + c·channelStride + h·rowStride + w·pixelStride`.
/// Output is `[batch · (height/p) · (width/p), channels · p · p]`.
public func gatherPatches(
    _ input: UnsafePointer<Float>, batch: Int, height: Int, width: Int, channels: Int,
    imageStride: Int, channelStride: Int, rowStride: Int, pixelStride: Int,
    patchSize p: Int, output: UnsafeMutablePointer<Float>, pool: WorkerPool
) {
    let outHeight = height / p, outWidth = width / p
    pool.parallelFor(batch * outHeight) { item in
        let n = item / outHeight, oh = item % outHeight
        var y = output + (n &* outHeight &+ oh) &* outWidth &* channels &* p &* p
        for ow in 0..<outWidth {
            for c in 0..<channels {
                for i in 0..<p {
                    let x = input + (n &* imageStride &+ c &* channelStride &+ (oh &* p &+ i) &* rowStride &+ ow &* p &* pixelStride)
                    for j in 0..<p { y[j] = x[j &* pixelStride] }
                    y += p
                }
            }
        }
    }
}
