// The tiling behind `matrixMultiply`: work split, cache blocking, micro-kernel calls and
// epilogues.

/// One matrix multiply's operands, shared read-only by its tasks.
struct MatrixJob {
    let input: UnsafePointer<Float>
    let rows: Int, depth: Int, outputCount: Int
    let packed: UnsafePointer<Float>
    let bias: UnsafePointer<Float>
    let output: UnsafeMutablePointer<Float>
    let epilogue: MatrixEpilogue
    /// For `.addScaled`: where the residual is read (same layout as `output`), if not from
    /// `output` itself: `output = residual + scale ⊙ r`.
    var residual: UnsafePointer<Float>? = nil

    var rowTileCount: Int { (rows + MatrixTile.rows - 1) / MatrixTile.rows }
    var panelCount: Int { (outputCount + MatrixTile.columns - 1) / MatrixTile.columns }

    /// How the work is cut into tasks: contiguous runs of row tiles, or of column panels when
    /// that balances better (few rows, e.g. 49 at the last stage of ConvNeXt).
    struct Split {
        let tasks: Int, byRows: Bool, rowTiles: Int, panels: Int
        func share(_ task: Int) -> (Range<Int>, Range<Int>) {
            if byRows { return (rowTiles * task / tasks ..< rowTiles * (task + 1) / tasks, 0..<panels) }
            return (0..<rowTiles, panels * task / tasks ..< panels * (task + 1) / tasks)
        }
    }

    /// Whether the epilogue needs whole output rows (``MatrixEpilogue/normalize(_:)``).
    var normalizes: Bool { if case .normalize = epilogue { true } else { false } }

    func split(threads: Int) -> Split {
        let tiles = rowTileCount, panels = panelCount
        // Below ~100k multiply-adds a fork/join costs more than it saves.
        if threads == 1 || rows * outputCount * depth < 100_000 {
            return Split(tasks: 1, byRows: true, rowTiles: tiles, panels: panels)
        }
        // Work of the busiest task relative to a perfect split, for each way of cutting.
        func imbalance(_ units: Int) -> Double {
            let tasks = min(threads, units)
            return Double((units + tasks - 1) / tasks * threads) / Double(units)
        }
        let byRows = normalizes || imbalance(tiles) <= 1.05 * imbalance(panels)
        let units = byRows ? tiles : panels
        return Split(tasks: min(threads, units), byRows: byRows, rowTiles: tiles, panels: panels)
    }

    /// Computes the outputs of the given row tiles × column panels. Rows are taken in blocks
    /// of `blockTiles` tiles while every panel passes over them: each block streams all the
    /// weights once. By default a block is every row when their inputs fit in 640 KB of L2
    /// (few rows, big weights: stream the weights once), else as many as fit in 256 KB.
    func run(rowTiles: Range<Int>, panels: Range<Int>, blockTiles: Int? = nil) {
        let height = MatrixTile.rows, width = MatrixTile.columns
        let n = outputCount, k = depth
        let inputBytes = rowTiles.count * height * max(k, 1) * 4
        // A normalizing multiply takes blocks whose outputs stay in L1/L2 until normalized.
        let blockTiles = blockTiles ?? (normalizes ? MatrixJob.normalizedBlockTiles
            : inputBytes <= 640 * 1024 ? max(1, rowTiles.count) : max(1, 256 * 1024 / (max(k, 1) * 4 * height)))
        let adds: Bool, layerScale: UnsafePointer<Float>?
        if case .addScaled(let scale) = epilogue { (adds, layerScale) = (true, scale) } else { (adds, layerScale) = (false, nil) }
        // A residual-adding multiply whose block of inputs would crowd L2 (a 602 KB hidden block
        // beside 200–400 KB weight panels at ConvNeXt's stages 3 and 4) takes K in chunks that
        // fit: each chunk's product is added into the output, which stays in L2 meanwhile.
        let blockBytes = min(blockTiles, max(rowTiles.count, 1)) * height * k * 4
        let chunks = adds && blockBytes > MatrixJob.inputChunkBytes ? (blockBytes + MatrixJob.inputChunkBytes - 1) / MatrixJob.inputChunkBytes : 1
        let chunkDepth = (k + chunks - 1) / chunks
        withUnsafeTemporaryAllocation(of: Float.self, capacity: (height + 1) * width) { scratchBuffer in
            let scratch = scratchBuffer.baseAddress!, zeroBias = scratch + height * width
            zeroBias.initialize(repeating: 0, count: width)
            var blockStart = rowTiles.lowerBound
            while blockStart < rowTiles.upperBound {
                let blockEnd = min(blockStart + blockTiles, rowTiles.upperBound)
                var chunkStart = 0
                repeat {  // once even for k = 0 (bias only)
                    let depth = min(chunkDepth, k &- chunkStart)
                    for panel in panels {
                        let column = panel &* width
                        let columns = min(width, n &- column)
                        let weights = packed + (panel &* k &+ chunkStart) &* width
                        // The next panel's chunk (2–3·depth lines of 64 bytes; the last one prefetches
                        // itself, a no-op) is fetched into L2 during this one's tiles: its first pass
                        // would otherwise wait on memory (weights too big for L3 stream from DRAM).
                        let next = UnsafeRawPointer(panel &+ 1 < panels.upperBound ? weights + k &* width : weights)
                        for tile in blockStart..<blockEnd {
                            let row = tile &* height
                            let rowCount = min(height, rows &- row)
                            let y = output + (row &* n &+ column)
                            // Full-width tiles go straight to the output, the kernel adding the
                            // residual; later chunks add to what the first one wrote.
                            let direct = columns == width
                            let source = chunkStart == 0 ? residual.map { $0 + (row &* n &+ column) } : nil
                            let prefetch = next + prefetchStart(tile &- blockStart, of: blockEnd &- blockStart, depth: depth) &* 64
                            matrixMicroKernel(
                                input + (row &* k &+ chunkStart), lda: k, rowCount: rowCount,
                                panel: weights, depth: depth, bias: chunkStart == 0 ? bias + column : UnsafePointer(zeroBias),
                                c: direct ? y : scratch, ldc: direct ? n : width, prefetch: prefetch,
                                residual: direct && adds ? source ?? UnsafePointer(y) : nil, scale: layerScale.map { $0 + column })
                            finish(tile: direct ? nil : scratch, rowCount: rowCount, columns: columns, column: column, output: y, residual: source)
                        }
                    }
                    chunkStart &+= depth
                } while chunkStart < k
                if case .normalize(let norm) = epilogue {
                    let first = blockStart &* height, y = output + first &* n
                    normalizeRows(y, y, rows: min(blockEnd &* height, rows) &- first, stride: n, n, norm.weight, norm.bias, norm.epsilon)
                }
                blockStart = blockEnd
            }
        }
    }

    /// The most bytes of a row block's inputs a residual-adding multiply reads per chunk of K.
    static let inputChunkBytes = 256 * 1024
    /// Row tiles per block of a normalizing multiply: 112 rows, 43 KB of outputs at the stem's 96.
    static let normalizedBlockTiles = 16

    /// The first of the k lines (of the next panel's L·k, k = `depth`, L = the 64-byte lines
    /// in a panel row) that tile `index` of `tiles` prefetches: windows start evenly over the
    /// tiles, so each tile's pass brings in an equal share of new lines and memory requests
    /// spread over the whole panel instead of bunching at its start.
    @inline(__always)
    func prefetchStart(_ index: Int, of tiles: Int, depth k: Int) -> Int {
        let lines = MatrixTile.columns * 4 / 64
        return min(index &* lines &* k / max(tiles, 1), (lines &- 1) &* k)
    }

    /// Applies the epilogue to a tile: in place at `output` when the kernel stored it there
    /// (`tile == nil`), otherwise combining the kernel's `tile` (row stride NR) into `output`.
    @inline(__always)
    func finish(tile: UnsafePointer<Float>?, rowCount: Int, columns: Int, column: Int, output y: UnsafeMutablePointer<Float>,
                residual: UnsafePointer<Float>? = nil) {
        let n = outputCount, width = MatrixTile.columns
        switch epilogue {
        case .store, .normalize:
            guard let tile else { return }
            for r in 0..<rowCount { (y + r &* n).update(from: tile + r &* width, count: columns) }
        case .activate(let activation):
            if let tile {
                for r in 0..<rowCount { (y + r &* n).update(from: tile + r &* width, count: columns) }
            }
            // On the tile just stored, still in L1 (see `MatrixMicroKernel+AVX512.swift` for why
            // not in the kernel's registers).
            activation.apply(rows: y, rowCount: rowCount, columns: columns, rowStride: n)
        case .addScaled(let scale):
            guard let tile else { return }  // the kernel added it
            for r in 0..<rowCount {
                addScaled(tile + r &* width, scale: scale.map { $0 + column }, to: residual.map { $0 + r &* n } ?? UnsafePointer(y + r &* n),
                          into: y + r &* n, count: columns)
            }
        }
    }
}

/// `y[i] = r[i] + scale[i] · x[i]` (or `r[i] + x[i]` without a scale) for `i < count`; `r`
/// may be `y` itself.
@inline(__always)
func addScaled(_ x: UnsafePointer<Float>, scale: UnsafePointer<Float>?, to r: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int) {
    var i = 0
    if let scale {
        while i &+ vectorLanes <= count {
            multiplyAdd(FloatVector.load(scale + i), FloatVector.load(x + i), FloatVector.load(r + i)).store(to: y + i)
            i &+= vectorLanes
        }
        while i < count { y[i] = r[i] + scale[i] * x[i]; i &+= 1 }
    } else {
        while i &+ vectorLanes <= count {
            (FloatVector.load(x + i) + FloatVector.load(r + i)).store(to: y + i)
            i &+= vectorLanes
        }
        while i < count { y[i] = r[i] + x[i]; i &+= 1 }
    }
}
