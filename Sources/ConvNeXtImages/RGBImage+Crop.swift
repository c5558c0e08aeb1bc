extension RGBImage {
    /// The `height` x `width` center of this image as transformers' `center_crop` takes it:
    /// offsets `floor((old - new) / 2)` on each axis, with black (zero) padding where the
    /// crop reaches past the image (the same rule covers both of transformers' branches).
    public func centerCropped(height: Int, width: Int) -> RGBImage {
        precondition(height > 0 && width > 0, "crop size must be positive, got \(width)x\(height)")
        if height == self.height && width == self.width { return self }
        let top = Self.floorHalf(self.height - height)
        let left = Self.floorHalf(self.width - width)
        // The columns of each output row that fall inside the image.
        let firstColumn = min(max(-left, 0), width)
        let endColumn = max(min(self.width - left, width), firstColumn)
        let output = [UInt8](unsafeUninitializedCapacity: height * width * 3) { buffer, initialized in
            guard let out = buffer.baseAddress else { return }
            out.initialize(repeating: 0, count: height * width * 3)
            pixels.withUnsafeBufferPointer { input in
                guard let source = input.baseAddress else { return }
                for row in 0..<height {
                    let sourceRow = row + top
                    guard sourceRow >= 0 && sourceRow < self.height && endColumn > firstColumn else { continue }
                    (out + (row * width + firstColumn) * 3).update(
                        from: source + (sourceRow * self.width + firstColumn + left) * 3,
                        count: (endColumn - firstColumn) * 3
                    )
                }
            }
            initialized = height * width * 3
        }
        return RGBImage(width: width, height: height, pixels: output)
    }

    /// Python's `value // 2`: rounds toward negative infinity.
    private static func floorHalf(_ value: Int) -> Int {
        value >= 0 ? value / 2 : -((-value + 1) / 2)
    }
}
