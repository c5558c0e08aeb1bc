import Foundation

/// How ``convNeXtBlock(_:batch:height:width:filter:depthwiseBias:normalization:expand:expandBias:activation:project:projectBias:layerScale:output:scratch:schedule:pool:phaseNanoseconds:)``
/// cuts a batch: blocks of whole image rows, about an equal share of them per thread (claimed
/// as threads come free), each block's depthwise output and hidden activations kept in that
/// thread's cache.
public struct FusedBlockSchedule: Sendable, Equatable {
    /// Image rows per block.
    public let imageRows: Int
    /// Pixels per block (`imageRows × width`).
    public let blockPixels: Int
    /// Blocks over the whole batch (the last may be short).
    public let blocks: Int
    /// Tasks the blocks are shared over.
    public let tasks: Int
    /// Floats of scratch the block needs.
    public let scratchCount: Int

    /// The schedule for a `[batch, height, width, channels]` activation with `hiddenCount`
    /// hidden features on `threads` threads; nil when there are too few pixels to share by
    /// rows (then the depthwise convolution and ``pointwiseMLP`` run separately, the MLP split
    /// by column panels). One thread always fuses: an image stream's last stage (49 pixels at
    /// 224²) took 4% less time fused, GELU running over the whole block instead of per tile.
    public init?(batch: Int, height: Int, width: Int, channels: Int, hiddenCount: Int, threads: Int) {
        let threads = max(1, threads), totalRows = batch * height
        // One thread has nothing to share: even a few pixels run fused.
        guard width > 0, totalRows > 0, threads == 1 || batch * height * width >= threads * PointwiseMLPSchedule.minimumRowsPerThread else { return nil }
        // As many image rows per block as keep the block near the MLP's row target and its
        // hidden rows in L2; among those, the fewest rows for the busiest thread.
        let pixelLimit = min(PointwiseMLPSchedule.targetRows, PointwiseMLPSchedule.hiddenBytes / max(1, 4 * hiddenCount))
        let largest = max(1, pixelLimit / width)
        var best = (rows: 1, busiest: Int.max)
        for rows in 1...largest {
            let blocks = (totalRows + rows - 1) / rows
            let busiest = (blocks + threads - 1) / threads * rows
            if busiest <= best.busiest { best = (rows, busiest) }
        }
        // Rows-blocking that leaves a thread idle more than 10% of the time loses to the
        // column-panel split.
        guard best.busiest * threads * 10 <= totalRows * 11 else { return nil }
        imageRows = best.rows
        blockPixels = best.rows * width
        blocks = (totalRows + best.rows - 1) / best.rows
        tasks = min(threads, blocks)
        scratchCount = tasks * blockPixels * (channels + hiddenCount)
    }
}

/// A whole ConvNeXt block, `output = input + layerScale ⊙ MLP(LayerNorm(depthwise(input)))`,
/// in one parallel region: each task takes whole image rows, convolves and normalizes them
/// into its own scratch, and runs the MLP on them while they are in cache (see
/// ``pointwiseMLP``). `input` and `output` are `[batch, height, width, C]` and must not overlap
/// (other tasks read the input rows around theirs); `scratch` holds
/// ``FusedBlockSchedule/scratchCount`` floats. Gives exactly the result of
/// ``depthwiseConvolution(_:batch:height:width:filter:bias:normalization:output:pool:)``
/// followed by ``pointwiseMLP`` on a copy of the residual.
/// `phaseNanoseconds`, when given, receives the first task's time in the depthwise step (`[0]`),
/// expanding (`[1]`) and projecting (`[2]`).
public func convNeXtBlock(
    _ input: UnsafePointer<Float>, batch: Int, height: Int, width: Int,
    filter: DepthwiseFilter, depthwiseBias: UnsafePointer<Float>?, normalization: LayerNormParameters,
    expand: PackedMatrix, expandBias: UnsafePointer<Float>, activation: Activation,
    project: PackedMatrix, projectBias: UnsafePointer<Float>, layerScale: UnsafePointer<Float>?,
    output: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>, schedule: FusedBlockSchedule,
    pool: WorkerPool, phaseNanoseconds: UnsafeMutablePointer<UInt64>? = nil
) {
    let c = filter.channels
    precondition(expand.inputCount == c && project.outputCount == c, "the block's layers do not match its channels")
    filter.taps.withUnsafeBufferPointer { taps in
        withMLPBlockJob(expand: expand, expandBias: expandBias, activation: activation, project: project,
                        projectBias: projectBias, layerScale: layerScale) { mlp in
            let (blocks, tasks, perBlock) = (schedule.blocks, schedule.tasks, schedule.imageRows)
            let imageRows = batch * height
            pool.parallelClaim(blocks, tasks: tasks) { task, block in
                let normalized = scratch + task &* schedule.blockPixels &* (c &+ mlp.hidden)
                let hidden = normalized + schedule.blockPixels &* c
                let timing = task == 0 ? phaseNanoseconds : nil
                let firstRow = block &* perBlock, endRow = min(firstRow &+ perBlock, imageRows)
                let firstPixel = firstRow &* width
                let start = timing == nil ? 0 : DispatchTime.now().uptimeNanoseconds
                // Row r of the batch lands at `normalized + (r − firstRow)·width·C`.
                var depthwise = DepthwiseJob(
                    input: input, height: height, width: width, channels: c, kernelSize: filter.kernelSize,
                    taps: taps.baseAddress!, bias: depthwiseBias, output: normalized - firstPixel &* c, norm: normalization)
                // Blocks are claimed in turn, so this thread's next one is about `tasks` blocks on.
                depthwise.prefetchRowsAhead = perBlock &* tasks
                for row in firstRow..<endRow { depthwise.run(image: row / height, row: row % height) }
                if let timing { timing[0] &+= DispatchTime.now().uptimeNanoseconds &- start }
                mlp.run(normalized, rows: (endRow &- firstRow) &* width, hidden: hidden, output: output + firstPixel &* c,
                        residual: input + firstPixel &* c, phaseNanoseconds: timing.map { $0 + 1 })
            }
        }
    }
}
