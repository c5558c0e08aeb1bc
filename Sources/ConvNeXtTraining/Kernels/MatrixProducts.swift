import ConvNeXtKernels

// The input-gradient product dX = dY·W, run on the inference multiply (which computes X·Wᵀ
// with W packed): W, a parameter, is transposed and packed, O(size), small next to the product.
// Weight gradients have their own kernel (WeightGradient.swift).

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
