/// Mean over the pixels of each image: `[batch, pixels, channels]` → `[batch, channels]`.
public func globalAveragePool(
    _ input: UnsafePointer<Float>, batch: Int, pixels: Int, channels: Int,
    output: UnsafeMutablePointer<Float>
) {
    let vectorEnd = channels - channels % vectorLanes
    let scale = 1 / Float(pixels)
    for n in 0..<batch {
        let x = input + n &* pixels &* channels, y = output + n &* channels
        var c = 0
        while c < vectorEnd {
            var sum = FloatVector()
            for p in 0..<pixels { sum += FloatVector.load(x + (p &* channels &+ c)) }
            (sum * scale).store(to: y + c)
            c &+= vectorLanes
        }
        for c in vectorEnd..<channels {
            var sum: Float = 0
            for p in 0..<pixels { sum += x[p &* channels &+ c] }
            y[c] = sum * scale
        }
    }
}

/// Softmax over each row of a `[rows, columns]` matrix, in place, stable for large inputs
/// (the row maximum is subtracted first).
public func softmax(_ values: UnsafeMutablePointer<Float>, rows: Int, columns: Int) {
    guard columns > 0 else { return }
    let vectorEnd = columns - columns % vectorLanes
    for r in 0..<rows {
        let x = values + r &* columns
        var maxVector = FloatVector(repeating: -.infinity)
        var c = 0
        while c < vectorEnd { maxVector = maxVector.maximum(FloatVector.load(x + c)); c &+= vectorLanes }
        var maximum = maxVector.laneMaximum()
        for index in vectorEnd..<columns { maximum = max(maximum, x[index]) }
        Activation.map(x, columns) { VectorMath.exp($0 - maximum) }
        var sumVector = FloatVector()
        c = 0
        while c < vectorEnd { sumVector += FloatVector.load(x + c); c &+= vectorLanes }
        var sum = sumVector.laneSum()
        for index in vectorEnd..<columns { sum += x[index] }
        let inverse = 1 / sum
        Activation.map(x, columns) { $0 * inverse }
    }
}

/// ConvNeXt V2's global response normalization, in place on `[batch, pixels, channels]`:
/// `G = ‖x‖₂ over pixels`, `N = G / (mean_c G + 1e-6)`, `y = weight·(x·N) + bias + x`.
public func globalResponseNorm(
    _ values: UnsafeMutablePointer<Float>, batch: Int, pixels: Int, channels: Int,
    weight: UnsafePointer<Float>, bias: UnsafePointer<Float>
) {
    guard channels > 0 else { return }
    let vectorEnd = channels - channels % vectorLanes
    withUnsafeTemporaryAllocation(of: Float.self, capacity: channels) { buffer in
        let gain = buffer.baseAddress!
        for n in 0..<batch {
            let base = values + n &* pixels &* channels
            // Sum of squares per channel, a vector of channels at a time, pixel rows in order.
            var c = 0
            while c < vectorEnd {
                var sum = FloatVector()
                for p in 0..<pixels { let x = FloatVector.load(base + (p &* channels &+ c)); sum = multiplyAdd(x, x, sum) }
                sum.store(to: gain + c)
                c &+= vectorLanes
            }
            for c in vectorEnd..<channels {
                var sum: Float = 0
                for p in 0..<pixels { let x = base[p &* channels &+ c]; sum += x * x }
                gain[c] = sum
            }
            var mean: Float = 0
            for c in 0..<channels { gain[c] = gain[c].squareRoot(); mean += gain[c] }
            mean /= Float(channels)
            let inverse = 1 / (mean + 1e-6)
            for c in 0..<channels { gain[c] = weight[c] * gain[c] * inverse }
            // y = x·gain + bias + x
            for p in 0..<pixels {
                let x = base + p &* channels
                c = 0
                while c < vectorEnd {
                    let v = FloatVector.load(x + c)
                    (multiplyAdd(v, FloatVector.load(gain + c), FloatVector.load(bias + c)) + v).store(to: x + c)
                    c &+= vectorLanes
                }
                for c in vectorEnd..<channels { x[c] = x[c] * gain[c] + bias[c] + x[c] }
            }
        }
    }
}
