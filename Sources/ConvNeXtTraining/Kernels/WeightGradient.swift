import ConvNeXtKernels

/// `output[n, k] = Σ_m a[m, n] · b[m, k]` (`aᵀ·b`: a layer's weight gradient from its upstream
/// gradient `a` and its input `b`), reading both operands in place.
///
/// The output is cut into tiles of ``WeightGradientTile/rows`` × two vectors; the pool's threads
/// take disjoint runs of tiles, so no partial sums are combined across threads and every
/// output is summed over m in the same order whatever the thread count (bit-reproducible).
/// m is walked in blocks of `depthBlock` rows so that a group of `b` columns stays in L2 while
/// the tiles of a row group pass over it; each tile keeps its sums in registers for a block and
/// adds them to the output after it.
func multiplyTransposingFirst(
    _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, m: Int, n: Int, k: Int,
    output: UnsafeMutablePointer<Float>, pool: WorkerPool
) {
    guard n > 0, k > 0 else { return }
    guard m > 0 else { output.initialize(repeating: 0, count: n * k); return }
    let height = WeightGradientTile.rows, width = 2 * laneCount
    let rowTiles = (n + height - 1) / height, panels = (k + width - 1) / width
    // Panel groups of at most 8 panels, as equal as possible.
    let groups = (panels + 7) / 8, groupPanels = (panels + groups - 1) / groups
    let units = rowTiles * panels
    let depthBlock = 128
    // Below ~1M multiply-adds a fork/join costs more than it saves.
    let tasks = m * n * k < 1 << 20 ? 1 : min(pool.threadCount, units)
    pool.parallelFor(tasks) { task in
        let range = units * task / tasks ..< units * (task + 1) / tasks
        // A zero-padded copy of the last panel when k is not a multiple of the panel width.
        let tail = k % width == 0 ? nil : UnsafeMutablePointer<Float>.allocate(capacity: depthBlock * width)
        defer { tail?.deallocate() }
        var start = 0
        while start < m {
            let depth = min(depthBlock, m - start)
            if let tail {
                let first = (panels - 1) * width, columns = k - first
                for p in 0..<depth {
                    (tail + p &* width).update(from: b + ((start &+ p) &* k &+ first), count: columns)
                    (tail + (p &* width &+ columns)).update(repeating: 0, count: width - columns)
                }
            }
            for unit in range {
                // Units run group by group; within a group, row tile by row tile, then panel.
                let group = unit / (rowTiles * groupPanels)
                let inGroup = unit - group * rowTiles * groupPanels
                let panelsHere = min(groupPanels, panels - group * groupPanels)
                let rowTile = inGroup / panelsHere, panel = group * groupPanels + inGroup % panelsHere
                let row = rowTile * height, column = panel * width
                let columns = min(width, k - column)
                let isTail = columns < width
                weightGradientKernel(
                    a + (start &* n &+ row), lda: n, rowCount: min(height, n - row),
                    b: isTail ? UnsafePointer(tail!) : b + (start &* k &+ column), ldb: isTail ? width : k, depth: depth,
                    output: output + (row &* k &+ column), ldc: k, columns: columns, accumulate: start > 0)
            }
            start += depth
        }
    }
}

/// The register tile of ``weightGradientKernel``: rows × two vectors of outputs.
enum WeightGradientTile {
    /// AVX-512's 32 registers hold 12 rows (24 accumulators); 16-register targets take 6.
    #if CONVNEXT_VECTOR16
    static let rows = 12
    #else
    static let rows = 6
    #endif
}

/// `c[r, 0..<columns] (+)= Σ_p a[p·lda + r] · b[p·ldb + 0..<2·lanes]` for `r < rowCount`: the
/// rows of the tile are consecutive columns of `a`, broadcast one by one. One function with a
/// `var` per accumulator so all stay in registers; rows past `rowCount` re-read the last valid
/// one and are not stored. `b` must hold two full vectors per row (zero-padded past `columns`).
@inline(never)
private func weightGradientKernel(
    _ a: UnsafePointer<Float>, lda: Int, rowCount: Int, b: UnsafePointer<Float>, ldb: Int, depth: Int,
    output c: UnsafeMutablePointer<Float>, ldc: Int, columns: Int, accumulate: Bool
) {
    let lanes = laneCount
    let o1 = min(1, rowCount - 1), o2 = min(2, rowCount - 1), o3 = min(3, rowCount - 1)
    let o4 = min(4, rowCount - 1), o5 = min(5, rowCount - 1)
    var c00 = Lanes(), c01 = Lanes(), c10 = Lanes(), c11 = Lanes(), c20 = Lanes(), c21 = Lanes()
    var c30 = Lanes(), c31 = Lanes(), c40 = Lanes(), c41 = Lanes(), c50 = Lanes(), c51 = Lanes()
    #if CONVNEXT_VECTOR16
    let o6 = min(6, rowCount - 1), o7 = min(7, rowCount - 1), o8 = min(8, rowCount - 1)
    let o9 = min(9, rowCount - 1), o10 = min(10, rowCount - 1), o11 = min(11, rowCount - 1)
    var c60 = Lanes(), c61 = Lanes(), c70 = Lanes(), c71 = Lanes(), c80 = Lanes(), c81 = Lanes()
    var c90 = Lanes(), c91 = Lanes(), ca0 = Lanes(), ca1 = Lanes(), cb0 = Lanes(), cb1 = Lanes()
    #endif
    var x = a, y = b
    for _ in 0..<depth {
        let b0 = Lanes.load(y), b1 = Lanes.load(y + lanes)
        var s = Lanes(repeating: x[0])
        c00 = c00.adding(s, times: b0); c01 = c01.adding(s, times: b1)
        s = Lanes(repeating: x[o1]); c10 = c10.adding(s, times: b0); c11 = c11.adding(s, times: b1)
        s = Lanes(repeating: x[o2]); c20 = c20.adding(s, times: b0); c21 = c21.adding(s, times: b1)
        s = Lanes(repeating: x[o3]); c30 = c30.adding(s, times: b0); c31 = c31.adding(s, times: b1)
        s = Lanes(repeating: x[o4]); c40 = c40.adding(s, times: b0); c41 = c41.adding(s, times: b1)
        s = Lanes(repeating: x[o5]); c50 = c50.adding(s, times: b0); c51 = c51.adding(s, times: b1)
        #if CONVNEXT_VECTOR16
        s = Lanes(repeating: x[o6]); c60 = c60.adding(s, times: b0); c61 = c61.adding(s, times: b1)
        s = Lanes(repeating: x[o7]); c70 = c70.adding(s, times: b0); c71 = c71.adding(s, times: b1)
        s = Lanes(repeating: x[o8]); c80 = c80.adding(s, times: b0); c81 = c81.adding(s, times: b1)
        s = Lanes(repeating: x[o9]); c90 = c90.adding(s, times: b0); c91 = c91.adding(s, times: b1)
        s = Lanes(repeating: x[o10]); ca0 = ca0.adding(s, times: b0); ca1 = ca1.adding(s, times: b1)
        s = Lanes(repeating: x[o11]); cb0 = cb0.adding(s, times: b0); cb1 = cb1.adding(s, times: b1)
        #endif
        x += lda
        y += ldb
    }
    @inline(__always) func put(_ r: Int, _ low: Lanes, _ high: Lanes) {
        guard r < rowCount else { return }
        let target = c + r &* ldc
        if columns == 2 &* lanes {
            (accumulate ? Lanes.load(target) + low : low).store(to: target)
            (accumulate ? Lanes.load(target + lanes) + high : high).store(to: target + lanes)
        } else {
            for j in 0..<columns {
                let value = j < lanes ? low[j] : high[j &- lanes]
                target[j] = accumulate ? target[j] + value : value
            }
        }
    }
    put(0, c00, c01); put(1, c10, c11); put(2, c20, c21); put(3, c30, c31); put(4, c40, c41); put(5, c50, c51)
    #if CONVNEXT_VECTOR16
    put(6, c60, c61); put(7, c70, c71); put(8, c80, c81); put(9, c90, c91); put(10, ca0, ca1); put(11, cb0, cb1)
    #endif
}
