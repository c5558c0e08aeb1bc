extension RGBImage {
    /// Pillow's NEAREST resize: `ImagingScaleAffine` with the scale `in / out` per axis.
    ///
    /// The source coordinate starts at half a step and is advanced by repeated addition (not
    /// multiplication) in double precision, then truncated; the accumulated rounding is part
    /// of Pillow's result. A coordinate that lands outside the source leaves a black pixel.
    func nearestNeighbor(width: Int, height: Int) -> RGBImage {
        let columns = Self.nearestIndices(inputSize: self.width, outputSize: width)
        let rows = Self.nearestIndices(inputSize: self.height, outputSize: height)
        let output = [UInt8](unsafeUninitializedCapacity: width * height * 3) { buffer, initialized in
            guard let out = buffer.baseAddress else { return }
            pixels.withUnsafeBufferPointer { input in
                guard let source = input.baseAddress else { return }
                for y in 0..<height {
                    let lineOut = out + y &* width &* 3
                    guard let sourceRow = rows[y] else {
                        lineOut.initialize(repeating: 0, count: width * 3)
                        continue
                    }
                    let lineIn = source + sourceRow &* self.width &* 3
                    for x in 0..<width {
                        if let column = columns[x] {
                            lineOut[x &* 3] = lineIn[column &* 3]
                            lineOut[x &* 3 &+ 1] = lineIn[column &* 3 &+ 1]
                            lineOut[x &* 3 &+ 2] = lineIn[column &* 3 &+ 2]
                        } else {
                            lineOut[x &* 3] = 0
                            lineOut[x &* 3 &+ 1] = 0
                            lineOut[x &* 3 &+ 2] = 0
                        }
                    }
                }
            }
            initialized = width * height * 3
        }
        return RGBImage(width: width, height: height, pixels: output)
    }

    /// The source index of each output index, or nil where it falls outside the source.
    private static func nearestIndices(inputSize: Int, outputSize: Int) -> [Int?] {
        // _imaging.c: a = (double)(box1 - box0) / size, with the box in single precision.
        let step = Double(Float(inputSize) - Float(0)) / Double(outputSize)
        var position = 0 + step * 0.5
        var indices = [Int?](repeating: nil, count: outputSize)
        for index in 0..<outputSize {
            let source = position < 0 ? -1 : Int(position)
            if source >= 0 && source < inputSize { indices[index] = source }
            position += step
        }
        return indices
    }
}
