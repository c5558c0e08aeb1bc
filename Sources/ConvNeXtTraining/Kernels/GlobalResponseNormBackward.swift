import ConvNeXtKernels

/// The gradients of ConvNeXt V2's GRN on `[batch, pixels, channels]`. Per image, with
/// G_c = ‖x_{·c}‖₂, d = mean_c G + 1e-6, N_c = G_c / d and y = w·x·N + b + x:
/// `dx = dy·(w·N + 1) + dG_c·x/G_c` where `dG_c = a_c/d − Σ_c′ a_c′·G_c′ / (C·d²)` and
/// `a_c = w_c·Σ_p dy·x`; `dw_c = Σ dy·x·N_c`, `db_c = Σ dy`. A zero column gets no norm
/// gradient (PyTorch's convention for the norm at 0). Images run in parallel.
func globalResponseNormBackward(
    input x: UnsafePointer<Float>, outputGradient dy: UnsafePointer<Float>,
    batch: Int, pixels: Int, channels: Int, weight: UnsafePointer<Float>,
    inputGradient dx: UnsafeMutablePointer<Float>?, pool: WorkerPool
) -> (weight: [Float], bias: [Float]) {
    let sums = reduceRows(batch, width: 2 * channels, pool: pool, minimumRows: 1) { images, accumulator in
        let norms = UnsafeMutablePointer<Float>.allocate(capacity: 2 * channels)
        defer { norms.deallocate() }
        let correlation = norms + channels
        for n in images {
            let xImage = x + n &* pixels &* channels, gImage = dy + n &* pixels &* channels
            for c in 0..<channels { norms[c] = 0; correlation[c] = 0 }
            for p in 0..<pixels {
                let xRow = xImage + p &* channels, gRow = gImage + p &* channels
                for c in 0..<channels {
                    norms[c] += xRow[c] * xRow[c]
                    correlation[c] += gRow[c] * xRow[c]
                    accumulator[channels &+ c] += gRow[c]
                }
            }
            var mean: Float = 0
            for c in 0..<channels { norms[c] = norms[c].squareRoot(); mean += norms[c] }
            let denominator = mean / Float(channels) + 1e-6
            var weighted: Float = 0
            for c in 0..<channels {
                accumulator[c] += correlation[c] * norms[c] / denominator
                weighted += weight[c] * correlation[c] * norms[c]
            }
            guard let dx else { continue }
            let shared = weighted / (Float(channels) * denominator * denominator)
            let dxImage = dx + n &* pixels &* channels
            // Reuse `correlation` for dG_c / G_c and `norms` for w·N + 1.
            for c in 0..<channels {
                let normGradient = weight[c] * correlation[c] / denominator - shared
                correlation[c] = norms[c] > 0 ? normGradient / norms[c] : 0
                norms[c] = weight[c] * norms[c] / denominator + 1
            }
            for p in 0..<pixels {
                let xRow = xImage + p &* channels, gRow = gImage + p &* channels, target = dxImage + p &* channels
                for c in 0..<channels { target[c] = gRow[c] * norms[c] + correlation[c] * xRow[c] }
            }
        }
    }
    return (Array(sums[0..<channels]), Array(sums[channels...]))
}
