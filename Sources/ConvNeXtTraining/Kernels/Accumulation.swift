import ConvNeXtKernels

/// `target += addend`, element by element (shapes must hold equal counts), in parallel runs.
func addInPlace(_ target: inout Tensor, _ addend: Tensor, pool: WorkerPool) {
    precondition(target.count == addend.count, "adding \(addend.shape) to \(target.shape)")
    addend.withUnsafeBufferPointer { source in
        target.withUnsafeMutableBufferPointer { destination in
            let (from, to, count) = (source.baseAddress!, destination.baseAddress!, source.count)
            let tasks = max(1, min(pool.threadCount, count / 32768))
            pool.parallelFor(tasks) { task in
                let start = count * task / tasks
                add(from + start, into: to + start, count: count * (task + 1) / tasks - start)
            }
        }
    }
}

/// `destination[i] += source[i]` for `count` values.
@inline(__always)
func add(_ source: UnsafePointer<Float>, into destination: UnsafeMutablePointer<Float>, count: Int) {
    var i = 0
    while i &+ laneCount <= count {
        (Lanes.load(destination + i) + Lanes.load(source + i)).store(to: destination + i)
        i &+= laneCount
    }
    while i < count { destination[i] += source[i]; i &+= 1 }
}

/// `a + b` as a new tensor of `a`'s shape, in one parallel pass.
func sum(_ a: Tensor, _ b: Tensor, pool: WorkerPool) -> Tensor {
    precondition(a.count == b.count, "adding \(b.shape) to \(a.shape)")
    return Tensor(shape: a.shape) { output in
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                let (x, y, z, count) = (a.baseAddress!, b.baseAddress!, output.baseAddress!, output.count)
                let tasks = max(1, min(pool.threadCount, count / 32768))
                pool.parallelFor(tasks) { task in
                    var i = count * task / tasks
                    let end = count * (task + 1) / tasks
                    while i &+ laneCount <= end { (Lanes.load(x + i) + Lanes.load(y + i)).store(to: z + i); i &+= laneCount }
                    while i < end { z[i] = x[i] + y[i]; i &+= 1 }
                }
            }
        }
    }
}

/// `output[row, c] = input[row, c] · scale[c]` over `rows` rows of `channels` values, in parallel runs.
func multiplyChannels(
    _ input: UnsafePointer<Float>, by scale: UnsafePointer<Float>, rows: Int, channels: Int,
    output: UnsafeMutablePointer<Float>, pool: WorkerPool
) {
    let vectorEnd = channels - channels % laneCount
    let tasks = max(1, min(pool.threadCount, rows * channels / 32768))
    pool.parallelFor(tasks) { task in
        for row in rows * task / tasks ..< rows * (task + 1) / tasks {
            let x = input + row &* channels, y = output + row &* channels
            var c = 0
            while c < vectorEnd { (Lanes.load(x + c) * Lanes.load(scale + c)).store(to: y + c); c &+= laneCount }
            while c < channels { y[c] = x[c] * scale[c]; c &+= 1 }
        }
    }
}

/// Splits `rows` rows into contiguous runs over the pool's threads, gives each run a zeroed
/// private accumulator of `width` floats, and returns the sum of the accumulators (added in
/// run order, so a result depends only on the pool's thread count). `minimumRows` keeps small
/// reductions on one thread.
func reduceRows(
    _ rows: Int, width: Int, pool: WorkerPool, minimumRows: Int = 64,
    _ body: (_ rows: Range<Int>, _ accumulator: UnsafeMutablePointer<Float>) -> Void
) -> [Float] {
    let tasks = max(1, min(pool.threadCount, rows / max(minimumRows, 1)))
    let partials = UnsafeMutablePointer<Float>.allocate(capacity: tasks * width)
    defer { partials.deallocate() }
    partials.initialize(repeating: 0, count: tasks * width)
    pool.parallelFor(tasks) { task in
        body(rows * task / tasks ..< rows * (task + 1) / tasks, partials + task &* width)
    }
    var result = [Float](repeating: 0, count: width)
    result.withUnsafeMutableBufferPointer { total in
        for task in 0..<tasks { add(partials + task &* width, into: total.baseAddress!, count: width) }
    }
    return result
}

/// The sum of each column of a row-major `[rows, columns]` matrix.
func columnSums(_ matrix: UnsafePointer<Float>, rows: Int, columns: Int, pool: WorkerPool) -> [Float] {
    reduceRows(rows, width: columns, pool: pool) { range, accumulator in
        for row in range { add(matrix + row &* columns, into: accumulator, count: columns) }
    }
}
