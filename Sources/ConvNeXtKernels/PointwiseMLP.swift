import Foundation

/// How ``pointwiseMLP(_:rows:expand:expandBias:activation:project:projectBias:layerScale:output:scratch:pool:phaseNanoseconds:)``
/// cuts its rows: blocks of about ``targetRows`` rows, whole micro-kernel tiles, an equal
/// number per thread, each expanded and projected while its hidden rows are in cache; or,
/// with too few rows to share, two whole matrix multiplies split by column panels.
public struct PointwiseMLPSchedule: Sendable, Equatable {
    /// Rows per block when row-blocked, at most: each block streams both weight matrices
    /// through the cache once, so bigger blocks reuse them more...
    static let targetRows = 112
    /// ...as long as the block's hidden rows stay in L2 beside a weight panel: the projection
    /// passes each panel over the whole block, reading the weights once per block.
    static let hiddenBytes = 640 * 1024
    /// Rows per thread below which column panels are shared instead.
    static let minimumRowsPerThread = 56

    /// Whether rows are processed in blocks (otherwise two full-size multiplies).
    public let rowBlocked: Bool
    /// Rows per block (when row-blocked).
    public let blockRows: Int
    /// The number of blocks (when row-blocked).
    public let blocks: Int
    /// Tasks the blocks are shared over.
    public let tasks: Int

    /// The schedule for `rows` rows of `hiddenCount` hidden features on `threads` threads.
    public init(rows: Int, hiddenCount: Int, threads: Int) {
        let threads = max(1, threads)
        guard rows >= threads * PointwiseMLPSchedule.minimumRowsPerThread else {
            (rowBlocked, blockRows, blocks, tasks) = (false, rows, 1, 1)
            scratchCount = rows * hiddenCount
            return
        }
        let tile = MatrixTile.rows
        let target = max(tile, min(PointwiseMLPSchedule.targetRows, PointwiseMLPSchedule.hiddenBytes / max(1, 4 * hiddenCount)))
        var blocks = threads * ((rows + threads * target - 1) / (threads * target))
        let perBlock = (rows + blocks - 1) / blocks
        let blockRows = (perBlock + tile - 1) / tile * tile
        blocks = (rows + blockRows - 1) / blockRows
        (rowBlocked, self.blockRows, self.blocks, tasks) = (true, blockRows, blocks, min(threads, blocks))
        scratchCount = tasks * blockRows * hiddenCount
    }

    /// Floats of scratch the MLP needs.
    public let scratchCount: Int
}

/// A ConvNeXt block's MLP: `output += layerScale ⊙ (activation(input · expandᵀ + expandBias) · projectᵀ + projectBias)`.
///
/// `input` is `[rows, C]`, `output` `[rows, C']` holds the residual on entry; the hidden
/// `[rows, H]` activations never leave cache: rows are taken in blocks (see
/// ``PointwiseMLPSchedule``), each block expanded then at once projected, in one parallel
/// region. `scratch` must hold ``PointwiseMLPSchedule/scratchCount`` floats.
/// `phaseNanoseconds`, when given, receives the time the first task spent expanding (`[0]`)
/// and projecting (`[1]`), for profiling. `output` must not overlap `input` or `scratch`.
public func pointwiseMLP(
    _ input: UnsafePointer<Float>, rows: Int,
    expand: PackedMatrix, expandBias: UnsafePointer<Float>, activation: Activation,
    project: PackedMatrix, projectBias: UnsafePointer<Float>, layerScale: UnsafePointer<Float>?,
    output: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>,
    pool: WorkerPool, phaseNanoseconds: UnsafeMutablePointer<UInt64>? = nil
) {
    precondition(project.inputCount == expand.outputCount, "the MLP's layers do not chain")
    guard rows > 0 else { return }
    let schedule = PointwiseMLPSchedule(rows: rows, hiddenCount: expand.outputCount, threads: pool.threadCount)
    guard schedule.rowBlocked else {
        let start = phaseNanoseconds == nil ? 0 : DispatchTime.now().uptimeNanoseconds
        matrixMultiply(input, rows: rows, weights: expand, bias: expandBias, output: scratch, epilogue: .activate(activation), pool: pool)
        let middle = phaseNanoseconds == nil ? 0 : DispatchTime.now().uptimeNanoseconds
        matrixMultiply(scratch, rows: rows, weights: project, bias: projectBias, output: output, epilogue: .addScaled(layerScale), pool: pool)
        if let phaseNanoseconds {
            phaseNanoseconds[0] &+= middle &- start
            phaseNanoseconds[1] &+= DispatchTime.now().uptimeNanoseconds &- middle
        }
        return
    }
    let width = MatrixTile.columns
    let (c, hidden, outputs) = (expand.inputCount, expand.outputCount, project.outputCount)
    let expandPanels = expand.panelCount, projectPanels = project.panelCount
    withUnsafeTemporaryAllocation(of: Float.self, capacity: (expandPanels + projectPanels) * width) { biases in
        // The micro-kernel adds whole panels of bias, so both get zero-padded copies.
        let bias1 = biases.baseAddress!, bias2 = bias1 + expandPanels * width
        biases.initialize(repeating: 0)
        bias1.update(from: expandBias, count: hidden)
        bias2.update(from: projectBias, count: outputs)
        expand.packed.withUnsafeBufferPointer { packed1 in
            project.packed.withUnsafeBufferPointer { packed2 in
                let weights1 = packed1.baseAddress!, weights2 = packed2.baseAddress!
                let (blockRows, blocks, tasks) = (schedule.blockRows, schedule.blocks, schedule.tasks)
                pool.parallelFor(tasks) { task in
                    let buffer = scratch + task &* blockRows &* hidden
                    var expanding: UInt64 = 0, projecting: UInt64 = 0
                    let timing = task == 0 && phaseNanoseconds != nil
                    for block in blocks * task / tasks ..< blocks * (task + 1) / tasks {
                        let start = block &* blockRows, count = min(blockRows, rows &- start)
                        let tiles = (count &+ MatrixTile.rows &- 1) / MatrixTile.rows
                        let t0 = timing ? DispatchTime.now().uptimeNanoseconds : 0
                        MatrixJob(input: input + start &* c, rows: count, depth: c, outputCount: hidden, packed: weights1,
                                  bias: bias1, output: buffer, epilogue: .store)
                            .run(rowTiles: 0..<tiles, panels: 0..<expandPanels)
                        // Over the whole (L2-resident) block rather than per tile: the long
                        // loop keeps many independent activation chains in flight.
                        activation.apply(to: buffer, count: count &* hidden)
                        let t1 = timing ? DispatchTime.now().uptimeNanoseconds : 0
                        MatrixJob(input: buffer, rows: count, depth: hidden, outputCount: outputs, packed: weights2,
                                  bias: bias2, output: output + start &* outputs, epilogue: .addScaled(layerScale))
                            .run(rowTiles: 0..<tiles, panels: 0..<projectPanels, blockTiles: tiles)
                        if timing {
                            let t2 = DispatchTime.now().uptimeNanoseconds
                            expanding &+= t1 &- t0
                            projecting &+= t2 &- t1
                        }
                    }
                    if timing, let phaseNanoseconds {
                        phaseNanoseconds[0] &+= expanding
                        phaseNanoseconds[1] &+= projecting
                    }
                }
            }
        }
    }
}
