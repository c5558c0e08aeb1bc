import ConvNeXtKernels

// The backward pass's matrix products, run on the inference multiply (which computes X·Wᵀ with
// W packed): each operand is transposed into the layout that multiply expects. Transposes and
// packing are O(size), small next to the O(m·n·k) products.

/// `output[columns, rows] = input[rows, columns]ᵀ`.
func transpose(_ input: UnsafePointer<Float>, rows: Int, columns: Int, output: UnsafeMutablePointer<Float>) {
    // A one-image NCHW → NHWC copy is exactly a transpose of [C, H·W].
    channelsFirstToLast(input, batch: 1, channels: rows, height: 1, width: columns, output: output)
}

/// `output[m, k] = a[m, n] · b[n, k]`.
func multiply(
    _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, m: Int, n: Int, k: Int,
    output: UnsafeMutablePointer<Float>, pool: WorkerPool
) {
    guard m > 0, k > 0 else { return }
    guard n > 0 else { output.initialize(repeating: 0, count: m * k); return }
    let bTransposed = UnsafeMutablePointer<Float>.allocate(capacity: n * k)
    defer { bTransposed.deallocate() }
    transpose(b, rows: n, columns: k, output: bTransposed)
    let packed = PackedMatrix(weights: UnsafeBufferPointer(start: bTransposed, count: n * k), outputCount: k, inputCount: n)
    matrixMultiply(a, rows: m, weights: packed, bias: nil, output: output, pool: pool)
}

/// `output[n, k] = a[m, n]ᵀ · b[m, k]` (a weight gradient: upstream gradient ᵀ · layer input).
func multiplyTransposingFirst(
    _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, m: Int, n: Int, k: Int,
    output: UnsafeMutablePointer<Float>, pool: WorkerPool
) {
    guard n > 0, k > 0 else { return }
    guard m > 0 else { output.initialize(repeating: 0, count: n * k); return }
    let aTransposed = UnsafeMutablePointer<Float>.allocate(capacity: m * n)
    let bTransposed = UnsafeMutablePointer<Float>.allocate(capacity: m * k)
    defer { aTransposed.deallocate(); bTransposed.deallocate() }
    transpose(a, rows: m, columns: n, output: aTransposed)
    transpose(b, rows: m, columns: k, output: bTransposed)
    let packed = PackedMatrix(weights: UnsafeBufferPointer(start: bTransposed, count: m * k), outputCount: k, inputCount: m)
    matrixMultiply(aTransposed, rows: n, weights: packed, bias: nil, output: output, pool: pool)
}
