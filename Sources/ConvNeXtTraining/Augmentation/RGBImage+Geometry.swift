import ConvNeXtImages

extension RGBImage {
    /// The `width` x `height` region whose top-left pixel is (`x`, `y`); the region must lie
    /// inside the image (`PIL.Image.crop` within bounds).
    public func cropped(x: Int, y: Int, width: Int, height: Int) -> RGBImage {
        precondition(width > 0 && height > 0, "crop size must be positive, got \(width)x\(height)")
        precondition(x >= 0 && y >= 0 && x + width <= self.width && y + height <= self.height,
                     "crop (\(x), \(y), \(width)x\(height)) outside \(self.width)x\(self.height)")
        var output = [UInt8]()
        output.reserveCapacity(width * height * 3)
        for row in y..<(y + height) {
            let start = (row * self.width + x) * 3
            output.append(contentsOf: pixels[start..<(start + width * 3)])
        }
        return RGBImage(width: width, height: height, pixels: output)
    }

    /// The mirror image, left and right swapped (`PIL.Image.transpose(FLIP_LEFT_RIGHT)`).
    public func horizontallyFlipped() -> RGBImage {
        var output = [UInt8](repeating: 0, count: pixels.count)
        for row in 0..<height {
            for column in 0..<width {
                let source = (row * width + column) * 3
                let target = (row * width + width - 1 - column) * 3
                output[target] = pixels[source]
                output[target + 1] = pixels[source + 1]
                output[target + 2] = pixels[source + 2]
            }
        }
        return RGBImage(width: width, height: height, pixels: output)
    }
}
