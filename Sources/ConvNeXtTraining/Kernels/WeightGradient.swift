import ConvNeXtKernels

/// `output[n, k] = Σ_m a[m, n] · b[m, k]` (`aᵀ·b`: a layer's weight gradient from its upstream
/// gradient `a` and its input `b`), without transposing either operand.
///
/// The rows m are split over the pool; each thread sums its share in blocks of rows into a
/// private `[n, k]` accumulator (added together at the end, in thread order). Per block, `b`'s
/// columns are copied into zero-padded panels of two vectors so the micro-kernel (4 output rows
/// × 2 vectors, 8 accumulators: few enough for 16 SIMD registers) streams contiguous memory
/// whatever k is.
func multiplyTransposingFirst(
    _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, m: Int, n: Int, k: Int,
    output: UnsafeMutablePointer<Float>, pool: WorkerPool
) {
    guard n > 0, k > 0 else { return }
    let sums = reduceRows(m, width: n * k, pool: pool, minimumRows: 256) { rows, accumulator in
        let width = 2 * laneCount, panels = (k + width - 1) / width
        let blockRows = 128
        let packed = UnsafeMutablePointer<Float>.allocate(capacity: panels * blockRows * width)
        defer { packed.deallocate() }
        var start = rows.lowerBound
        while start < rows.upperBound {
            let count = min(blockRows, rows.upperBound - start)
            packColumnPanels(b + start &* k, rows: count, columns: k, width: width, output: packed)
            for panel in 0..<panels {
                let columns = min(width, k - panel * width)
                let source = packed + panel &* count &* width
                var row = 0
                while row < n {
                    let rowCount = min(4, n - row)
                    accumulateTile(a + (start &* n &+ row), stride: n, rows: rowCount, panel: source, depth: count,
                                   output: accumulator + (row &* k &+ panel &* width), outputStride: k, columns: columns)
                    row &+= rowCount
                }
            }
            start += count
        }
    }
    sums.withUnsafeBufferPointer { output.update(from: $0.baseAddress!, count: n * k) }
}

/// Copies a row-major `[rows, columns]` matrix into panels of `width` columns, each
/// `[rows, width]` with zeros past the last column.
private func packColumnPanels(_ source: UnsafePointer<Float>, rows: Int, columns: Int, width: Int, output: UnsafeMutablePointer<Float>) {
    let panels = (columns + width - 1) / width
    for panel in 0..<panels {
        let first = panel * width, count = min(width, columns - first)
        let target = output + panel &* rows &* width
        for row in 0..<rows {
            let to = target + row &* width
            to.update(from: source + (row &* columns &+ first), count: count)
            if count < width { (to + count).update(repeating: 0, count: width - count) }
        }
    }
}

/// `output[r, 0..<columns] += Σ_d a[d·stride + r] · panel[d, 0..<columns]` for `rows` ≤ 4 rows;
/// the panel is two vectors wide (zero-padded past `columns`).
@inline(__always)
private func accumulateTile(
    _ a: UnsafePointer<Float>, stride: Int, rows: Int, panel: UnsafePointer<Float>, depth: Int,
    output: UnsafeMutablePointer<Float>, outputStride: Int, columns: Int
) {
    let lanes = laneCount
    var c00 = Lanes(), c01 = Lanes(), c10 = Lanes(), c11 = Lanes()
    var c20 = Lanes(), c21 = Lanes(), c30 = Lanes(), c31 = Lanes()
    if rows == 4 {
        for d in 0..<depth {
            let p = panel + d &* 2 &* lanes, g = a + d &* stride
            let v0 = Lanes.load(p), v1 = Lanes.load(p + lanes)
            let g0 = Lanes(repeating: g[0]), g1 = Lanes(repeating: g[1])
            let g2 = Lanes(repeating: g[2]), g3 = Lanes(repeating: g[3])
            c00 = c00.adding(g0, times: v0); c01 = c01.adding(g0, times: v1)
            c10 = c10.adding(g1, times: v0); c11 = c11.adding(g1, times: v1)
            c20 = c20.adding(g2, times: v0); c21 = c21.adding(g2, times: v1)
            c30 = c30.adding(g3, times: v0); c31 = c31.adding(g3, times: v1)
        }
    } else {
        // The last rows of an n that is not a multiple of 4: one row at a time.
        for d in 0..<depth {
            let p = panel + d &* 2 &* lanes, g = a + d &* stride
            let v0 = Lanes.load(p), v1 = Lanes.load(p + lanes)
            let g0 = Lanes(repeating: g[0])
            c00 = c00.adding(g0, times: v0); c01 = c01.adding(g0, times: v1)
            if rows > 1 { let g1 = Lanes(repeating: g[1]); c10 = c10.adding(g1, times: v0); c11 = c11.adding(g1, times: v1) }
            if rows > 2 { let g2 = Lanes(repeating: g[2]); c20 = c20.adding(g2, times: v0); c21 = c21.adding(g2, times: v1) }
        }
    }
    func add(_ r: Int, _ low: Lanes, _ high: Lanes) {
        guard r < rows else { return }
        let target = output + r &* outputStride
        if columns == 2 &* lanes {
            (Lanes.load(target) + low).store(to: target)
            (Lanes.load(target + lanes) + high).store(to: target + lanes)
        } else {
            for c in 0..<columns { target[c] += c < lanes ? low[c] : high[c &- lanes] }
        }
    }
    add(0, c00, c01); add(1, c10, c11); add(2, c20, c21); add(3, c30, c31)
}
