import ConvNeXtImages

/// Pillow's `ImageEnhance` operations: a blend `degenerate + factor·(image − degenerate)` with
/// a per-operation degenerate image, computed in single precision and truncated, clamped to
/// 0...255 (`ImagingBlend`).
extension RGBImage {
    /// `Image.blend(degenerate, self, factor)`.
    func blended(from degenerate: [UInt8], factor: Double) -> RGBImage {
        let alpha = Float(factor)
        var output = pixels
        for index in output.indices {
            let base = Float(degenerate[index])
            let value = base + alpha * (Float(pixels[index]) - base)
            output[index] = value <= 0 ? 0 : value >= 255 ? 255 : UInt8(value)
        }
        return RGBImage(width: width, height: height, pixels: output)
    }

    /// Pillow's RGB to L conversion, `(19595 R + 38470 G + 7471 B + 0x8000) >> 16`.
    func luminance() -> [UInt8] {
        (0..<(width * height)).map { pixel in
            let r = Int(pixels[pixel * 3]), g = Int(pixels[pixel * 3 + 1]), b = Int(pixels[pixel * 3 + 2])
            return UInt8((r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16)
        }
    }

    /// `ImageEnhance.Color(image).enhance(factor)`: blend with the grayscale image.
    public func colorEnhanced(factor: Double) -> RGBImage {
        blended(from: luminance().flatMap { [$0, $0, $0] }, factor: factor)
    }

    /// `ImageEnhance.Contrast(image).enhance(factor)`: blend with the mean gray level,
    /// `int(mean(L) + 0.5)`.
    public func contrastEnhanced(factor: Double) -> RGBImage {
        let gray = luminance()
        let mean = gray.isEmpty ? 0 : Double(gray.reduce(0) { $0 + Int($1) }) / Double(gray.count)
        let level = UInt8(min(Int(mean + 0.5), 255))
        return blended(from: [UInt8](repeating: level, count: pixels.count), factor: factor)
    }

    /// `ImageEnhance.Brightness(image).enhance(factor)`: blend with black.
    public func brightnessEnhanced(factor: Double) -> RGBImage {
        blended(from: [UInt8](repeating: 0, count: pixels.count), factor: factor)
    }

    /// `ImageEnhance.Sharpness(image).enhance(factor)`: blend with `ImageFilter.SMOOTH` (3x3
    /// kernel 1 1 1 / 1 5 1 / 1 1 1, divided by 13, border pixels copied as Pillow copies
    /// them). Pillow rounds `Σ/13 + 0.5` in single precision; since `Σ/13` is never within
    /// float error of a half, the integer rounding here gives the same values.
    public func sharpnessEnhanced(factor: Double) -> RGBImage {
        var smooth = pixels
        if width >= 3 && height >= 3 {
            for y in 1..<(height - 1) {
                for x in 1..<(width - 1) {
                    for channel in 0..<3 {
                        var sum = 0
                        for dy in -1...1 {
                            for dx in -1...1 {
                                let weight = dx == 0 && dy == 0 ? 5 : 1
                                sum += weight * Int(pixels[((y + dy) * width + x + dx) * 3 + channel])
                            }
                        }
                        smooth[(y * width + x) * 3 + channel] = UInt8(min((2 * sum + 13) / 26, 255))
                    }
                }
            }
        }
        return blended(from: smooth, factor: factor)
    }
}
