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
    withMLPBlockJob(expand: expand, expandBias: expandBias, activation: activation, project: project,
                    projectBias: projectBias, layerScale: layerScale) { job in
        let (blockRows, blocks, tasks) = (schedule.blockRows, schedule.blocks, schedule.tasks)
        pool.parallelClaim(blocks, tasks: tasks) { task, block in
            let buffer = scratch + task &* blockRows &* job.hidden
            let start = block &* blockRows, count = min(blockRows, rows &- start)
            job.run(input + start &* job.inputCount, rows: count, hidden: buffer, output: output + start &* job.outputCount,
                    residual: nil, phaseNanoseconds: task == 0 ? phaseNanoseconds : nil)
        }
    }
}

/// A block MLP's operands, shared read-only by the tasks that run its row blocks: packed
/// weights and zero-padded biases (the micro-kernel adds whole panels of bias).
struct MLPBlockJob {
    let inputCount: Int, hidden: Int, outputCount: Int
    let expandPanels: Int, projectPanels: Int
    let weights1: UnsafePointer<Float>, weights2: UnsafePointer<Float>
    let bias1: UnsafePointer<Float>, bias2: UnsafePointer<Float>
    let activation: Activation
    let layerScale: UnsafePointer<Float>?

    /// One row block: `rows` rows of `input` expanded into `hidden` (L2-resident scratch of
    /// `rows × hidden` floats), activated, projected, scaled and added to the residual, which is
    /// `output` itself when `residual` is nil. `phaseNanoseconds`, when given, accumulates the
    /// time spent expanding (`[0]`) and projecting (`[1]`).
    func run(_ input: UnsafePointer<Float>, rows count: Int, hidden buffer: UnsafeMutablePointer<Float>,
             output: UnsafeMutablePointer<Float>, residual: UnsafePointer<Float>?, phaseNanoseconds: UnsafeMutablePointer<UInt64>?) {
        let tiles = (count &+ MatrixTile.rows &- 1) / MatrixTile.rows
        let t0 = phaseNanoseconds == nil ? 0 : DispatchTime.now().uptimeNanoseconds
        MatrixJob(input: input, rows: count, depth: inputCount, outputCount: hidden, packed: weights1,
                  bias: bias1, output: buffer, epilogue: .store)
            .run(rowTiles: 0..<tiles, panels: 0..<expandPanels)
        // Over the whole (L2-resident) block rather than per tile: the long loop keeps many
        // independent activation chains in flight.
        activation.apply(to: buffer, count: count &* hidden)
        let t1 = phaseNanoseconds == nil ? 0 : DispatchTime.now().uptimeNanoseconds
        MatrixJob(input: buffer, rows: count, depth: hidden, outputCount: outputCount, packed: weights2,
                  bias: bias2, output: output, epilogue: .addScaled(layerScale), residual: residual)
            .run(rowTiles: 0..<tiles, panels: 0..<projectPanels, blockTiles: tiles)
        if let phaseNanoseconds {
            let t2 = DispatchTime.now().uptimeNanoseconds
            phaseNanoseconds[0] &+= t1 &- t0
            phaseNanoseconds[1] &+= t2 &- t1
        }
    }
}

/// Calls `body` with the ``MLPBlockJob`` of these layers, valid for the duration of the call.
func withMLPBlockJob<R>(
    expand: PackedMatrix, expandBias: UnsafePointer<Float>, activation: Activation,
    project: PackedMatrix, projectBias: UnsafePointer<Float>, layerScale: UnsafePointer<Float>?,
    _ body: (MLPBlockJob) -> R
) -> R {
    precondition(project.inputCount == expand.outputCount, "the MLP's layers do not chain")
    let width = MatrixTile.columns
    let (hidden, outputs) = (expand.outputCount, project.outputCount)
    let expandPanels = expand.panelCount, projectPanels = project.panelCount
    return withUnsafeTemporaryAllocation(of: Float.self, capacity: (expandPanels + projectPanels) * width) { biases in
        let bias1 = biases.baseAddress!, bias2 = bias1 + expandPanels * width
        biases.initialize(repeating: 0)
        bias1.update(from: expandBias, count: hidden)
        bias2.update(from: projectBias, count: outputs)
        return expand.packed.withUnsafeBufferPointer { packed1 in
            project.packed.withUnsafeBufferPointer { packed2 in
                body(MLPBlockJob(
                    inputCount: expand.inputCount, hidden: hidden, outputCount: outputs,
                    expandPanels: expandPanels, projectPanels: projectPanels,
                    weights1: packed1.baseAddress!, weights2: packed2.baseAddress!,
                    bias1: bias1, bias2: bias2, activation: activation, layerScale: layerScale))
            }
        }
    }
}
