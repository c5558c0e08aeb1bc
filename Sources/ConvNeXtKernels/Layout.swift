/// Copies `[batch, channels, height, width]` into `[batch, height, width, channels]`.
public func channelsFirstToLast(
    _ input: UnsafePointer<Float>, batch: Int, channels: Int, height: Int, width: Int,
    output: UnsafeMutablePointer<Float>
) {
    let plane = height * width
    for n in 0..<batch {
        for c in 0..<channels {
            let x = input + (n * channels + c) * plane
            let y = output + n * plane * channels + c
            for p in 0..<plane { y[p * channels] = x[p] }
        }
    }
}

/// Copies `[batch, height, width, channels]` into `[batch, channels, height, width]`.
public func channelsLastToFirst(
    _ input: UnsafePointer<Float>, batch: Int, height: Int, width: Int, channels: Int,
    output: UnsafeMutablePointer<Float>
) {
    let plane = height * width
    for n in 0..<batch {
        for c in 0..<channels {
            let x = input + n * plane * channels + c
            let y = output + (n * channels + c) * plane
            for p in 0..<plane { y[p] = x[p * channels] }
        }
    }
}
