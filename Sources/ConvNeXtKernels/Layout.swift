/// Copies `[batch, channels, height, width]` into `[batch, height, width, channels]`.
public func channelsFirstToLast(
    _ input: UnsafePointer<Float>, batch: Int, channels: Int, height: Int, width: Int,
    output: UnsafeMutablePointer<Float>
) {
    let plane = height * width
    for n in 0..<batch {
        transpose(input + n &* channels &* plane, rows: channels, columns: plane, output: output + n &* plane &* channels)
    }
}

/// Copies `[batch, height, width, channels]` into `[batch, channels, height, width]`.
public func channelsLastToFirst(
    _ input: UnsafePointer<Float>, batch: Int, height: Int, width: Int, channels: Int,
    output: UnsafeMutablePointer<Float>
) {
    let plane = height * width
    for n in 0..<batch {
        transpose(input + n &* plane &* channels, rows: plane, columns: channels, output: output + n &* channels &* plane)
    }
}

/// `output[j, i] = input[i, j]` for a row-major `rows × columns` matrix, in 16×16 tiles so
/// both sides touch whole cache lines.
private func transpose(_ input: UnsafePointer<Float>, rows: Int, columns: Int, output: UnsafeMutablePointer<Float>) {
    let tile = 16
    var i0 = 0
    while i0 < rows {
        let i1 = min(i0 &+ tile, rows)
        var j0 = 0
        while j0 < columns {
            let j1 = min(j0 &+ tile, columns)
            for j in j0..<j1 {
                for i in i0..<i1 { output[j &* rows &+ i] = input[i &* columns &+ j] }
            }
            j0 = j1
        }
        i0 = i1
    }
}
