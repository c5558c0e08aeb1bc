import ConvNeXtImages

/// Pillow's `ImageOps` point operations on 8-bit RGB, each exact: every channel goes through
/// a 256-entry lookup table built as Pillow builds it.
extension RGBImage {
    /// The image with every channel value `v` replaced by `tables[channel][v]`.
    func mapped(_ tables: [[UInt8]]) -> RGBImage {
        var output = pixels
        for index in output.indices { output[index] = tables[index % 3][Int(output[index])] }
        return RGBImage(width: width, height: height, pixels: output)
    }

    /// The same table for all three channels.
    func mapped(_ table: [UInt8]) -> RGBImage { mapped([table, table, table]) }

    /// Per-channel histograms (`Image.histogram()` of an RGB image, split by band).
    func channelHistograms() -> [[Int]] {
        var histograms = [[Int]](repeating: [Int](repeating: 0, count: 256), count: 3)
        for index in pixels.indices { histograms[index % 3][Int(pixels[index])] += 1 }
        return histograms
    }

    /// `ImageOps.invert`: `255 − v`.
    public func inverted() -> RGBImage { mapped((0..<256).map { UInt8(255 - $0) }) }

    /// `ImageOps.posterize(image, bits)`: keeps the top `bits` bits of each value. timm returns
    /// the image unchanged for `bits >= 8`.
    public func posterized(bits: Int) -> RGBImage {
        if bits >= 8 { return self }
        let mask = ~UInt8((1 << (8 - max(bits, 0))) - 1 & 0xFF)
        return mapped((0..<256).map { UInt8($0) & mask })
    }

    /// `ImageOps.solarize(image, threshold)`: values at or above `threshold` are inverted.
    public func solarized(threshold: Int) -> RGBImage {
        mapped((0..<256).map { $0 < threshold ? UInt8($0) : UInt8(255 - $0) })
    }

    /// timm's `solarize_add`: values below `threshold` gain `addition`, capped at 255.
    public func solarizeAdded(_ addition: Int, threshold: Int = 128) -> RGBImage {
        mapped((0..<256).map { $0 < threshold ? UInt8(min(255, $0 + addition)) : UInt8($0) })
    }

    /// `ImageOps.autocontrast(image)` (no cutoff): each channel stretched so its lowest value
    /// maps to 0 and its highest to 255, `int(v·scale + offset)` clamped.
    public func autocontrasted() -> RGBImage {
        let tables = channelHistograms().map { histogram -> [UInt8] in
            guard let low = histogram.firstIndex(where: { $0 != 0 }),
                  let high = histogram.lastIndex(where: { $0 != 0 }), high > low
            else { return (0..<256).map { UInt8($0) } }
            let scale = 255.0 / Double(high - low)
            let offset = -Double(low) * scale
            return (0..<256).map { UInt8(min(max(Int(Double($0) * scale + offset), 0), 255)) }
        }
        return mapped(tables)
    }

    /// `ImageOps.equalize(image)`: each channel's histogram equalized with Pillow's step rule.
    public func equalized() -> RGBImage {
        let tables = channelHistograms().map { histogram -> [UInt8] in
            let used = histogram.filter { $0 != 0 }
            let identity = (0..<256).map { UInt8($0) }
            guard used.count > 1, let last = used.last else { return identity }
            let step = (used.reduce(0, +) - last) / 255
            guard step > 0 else { return identity }
            var n = step / 2
            var table = [UInt8]()
            table.reserveCapacity(256)
            for value in 0..<256 {
                table.append(UInt8(min(n / step, 255)))
                n += histogram[value]
            }
            return table
        }
        return mapped(tables)
    }
}
