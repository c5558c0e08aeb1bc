import ConvNeXtKernels

/// How a batch is shared over a pool's threads: whole rounds of images as one-thread streams
/// (each thread runs the whole network on one image at a time, in its own buffers), and the
/// rest of the batch on all threads together.
///
/// A stream needs no fork or join inside the network, and its activations (1.2 MB per buffer
/// at ConvNeXt-T's first stage) stay in its core's L2 and the L3, where a batch split over
/// every thread streams all its images' activations through memory at each block. On this
/// machine's two cores, batch 8 as two streams (with one-thread fused blocks) took 2.6% less
/// time per image than split over both threads. With more than ``maximumThreads`` threads the streams' weight traffic (every
/// stream reads all the weights for every image) would grow with the thread count, so larger
/// pools share every image.
struct ImageStreams {
    /// The most threads for which batches run as streams.
    static let maximumThreads = 8

    /// Images run as streams: a multiple of the thread count, claimed one at a time.
    let streamedImages: Int
    /// The streams (one per thread).
    let streams: Int

    init(batch: Int, threads: Int) {
        let streaming = threads > 1 && threads <= ImageStreams.maximumThreads
        streams = streaming ? threads : 0
        streamedImages = streaming ? batch / threads * threads : 0
    }
}

extension ConvNeXtModel {
    /// The stem and stages on a batch (see ``ImageStreams``): fills `features` with the last
    /// stage's output (`[N, h, w, C]`, channels-last) and returns the hidden states whose indices
    /// are in `keeping`, over the whole batch. With streams, `timer` times the first stream's
    /// images and then the rest of the batch, so its totals add up to the pass's wall time.
    func runBatch(_ images: UnsafePointer<Float>, layout: TensorLayout, batch: Int, height: Int, width: Int,
                  keeping: Set<Int>, timer: PassTimer, features: UnsafeMutableBufferPointer<Float>) -> [Int: Tensor] {
        let split = ImageStreams(batch: batch, threads: pool.threadCount)
        let imageCount = configuration.numChannels * height * width
        let featureCount = features.count / batch
        let features = features.baseAddress!
        // Each part's hidden states, in batch order: one per streamed image, then the rest.
        var parts = [[Int: Tensor]](repeating: [:], count: split.streamedImages)
        parts.withUnsafeMutableBufferPointer { parts in
            pool.parallelClaim(split.streamedImages, tasks: split.streams) { task, image in
                let plan = plans.checkOut(configuration: configuration, threads: 1, fullHidden: usesResponseNorm,
                                          batch: 1, height: height, width: width)
                defer { plans.checkIn(plan) }
                let (kept, output) = runNetwork(images + image &* imageCount, layout: layout, plan: plan, keeping: keeping,
                                                timer: task == 0 ? timer : PassTimer(profile: nil), pool: .serial)
                (features + image &* featureCount).update(from: output, count: featureCount)
                parts[image] = kept
            }
        }
        let rest = batch - split.streamedImages
        if rest > 0 {
            let plan = plans.checkOut(configuration: configuration, threads: pool.threadCount, fullHidden: usesResponseNorm,
                                      batch: rest, height: height, width: width)
            defer { plans.checkIn(plan) }
            let (kept, output) = runNetwork(images + split.streamedImages * imageCount, layout: layout, plan: plan,
                                            keeping: keeping, timer: timer, pool: pool)
            (features + split.streamedImages * featureCount).update(from: output, count: rest * featureCount)
            parts.append(kept)
        }
        guard parts.count > 1 else { return parts.first ?? [:] }
        var merged: [Int: Tensor] = [:]
        for index in keeping { merged[index] = concatenatedBatch(parts.map { $0[index]! }) }
        return merged
    }
}

/// Tensors `[nᵢ, …]` of equal trailing shape joined along the first axis.
private func concatenatedBatch(_ parts: [Tensor]) -> Tensor {
    let shape = [parts.reduce(0) { $0 + $1.shape[0] }] + parts[0].shape.dropFirst()
    return Tensor(shape: shape) { output in
        var offset = 0
        for part in parts {
            part.withUnsafeBufferPointer { (output.baseAddress! + offset).initialize(from: $0.baseAddress!, count: $0.count) }
            offset += part.count
        }
    }
}
