import ConvNeXtKernels

// The input-gradient product dX = dY·W, run on the inference multiply (which computes X·Wᵀ
// with W packed): W, a parameter, is packed transposed, O(size), small next to the product.
// Weight gradients have their own kernel (WeightGradient.swift).

/// `output[m, k] = a[m, n] · b[n, k]`.
func multiply(
    _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, m: Int, n: Int, k: Int,
    output: UnsafeMutablePointer<Float>, pool: WorkerPool
) {
    guard m > 0, k > 0 else { return }
    guard n > 0 else { output.initialize(repeating: 0, count: m * k); return }
    let packed = PackedMatrix(transposing: UnsafeBufferPointer(start: b, count: n * k), rows: n, columns: k, pool: pool)
    matrixMultiply(a, rows: m, weights: packed, bias: nil, output: output, pool: pool)
}
