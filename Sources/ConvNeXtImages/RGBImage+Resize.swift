extension RGBImage {
    /// This image resized to `width` x `height` exactly as Pillow's
    /// `Image.resize((width, height), filter)` (no `box`, no `reducing_gap`) resizes an RGB image.
    ///
    /// Convolution filters run Pillow's two separable 8-bit passes. Pillow 13 orders them by
    /// size: the vertical pass goes first when the height shrinks by more than twice as many
    /// pixels as the width does (`in.h - h > 2 * (in.w - w)`, found by experiment against
    /// Pillow 13.0.0); otherwise the horizontal pass goes first, over only the rows the vertical
    /// pass reads. The order changes results, since the image between the passes is 8-bit.
    /// Nearest neighbour uses Pillow's affine coordinate mapping. Equal sizes return the image.
    public func resized(width: Int, height: Int, filter: ResamplingFilter) -> RGBImage {
        precondition(width > 0 && height > 0, "height and width must be > 0")
        precondition(self.width > 0 && self.height > 0, "cannot resize an empty image")
        if width == self.width && height == self.height { return self }
        if filter == .nearest { return nearestNeighbor(width: width, height: height) }

        let horizontal = width != self.width
            ? ResampleCoefficients(inputSize: self.width, upper: Float(self.width), outputSize: width, filter: filter)
            : nil
        var vertical = ResampleCoefficients(inputSize: self.height, upper: Float(self.height), outputSize: height, filter: filter)
        let needVertical = height != self.height

        if height < self.height && self.height - height > 2 * (self.width - width) {
            let shrunk = verticalPass(vertical, rows: height)
            guard let horizontal else { return shrunk }
            return shrunk.horizontalPass(horizontal, firstRow: 0, rows: height)
        }

        guard let horizontal else { return verticalPass(vertical, rows: height) }
        // The horizontal pass covers only the rows the vertical pass will read.
        let firstRow = vertical.firstInput
        let rows = vertical.endInput - firstRow
        let temporary = horizontalPass(horizontal, firstRow: firstRow, rows: rows)
        guard needVertical else { return temporary }
        for index in vertical.starts.indices { vertical.starts[index] -= firstRow }
        return temporary.verticalPass(vertical, rows: height)
    }

    private func horizontalPass(_ coefficients: ResampleCoefficients, firstRow: Int, rows: Int) -> RGBImage {
        let outputWidth = coefficients.counts.count
        let output = [UInt8](unsafeUninitializedCapacity: max(outputWidth * rows * 3, 1)) { buffer, initialized in
            pixels.withUnsafeBufferPointer { input in
                ResamplePasses.horizontal(
                    input.baseAddress!, inputWidth: width, firstRow: firstRow, rows: rows,
                    coefficients: coefficients, into: buffer.baseAddress!
                )
            }
            initialized = outputWidth * rows * 3
        }
        return RGBImage(width: outputWidth, height: rows, pixels: output)
    }

    private func verticalPass(_ coefficients: ResampleCoefficients, rows: Int) -> RGBImage {
        let output = [UInt8](unsafeUninitializedCapacity: max(width * rows * 3, 1)) { buffer, initialized in
            pixels.withUnsafeBufferPointer { input in
                ResamplePasses.vertical(input.baseAddress!, width: width, coefficients: coefficients, into: buffer.baseAddress!)
            }
            initialized = width * rows * 3
        }
        return RGBImage(width: width, height: rows, pixels: output)
    }
}
