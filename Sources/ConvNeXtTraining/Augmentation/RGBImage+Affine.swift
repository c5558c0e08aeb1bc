import ConvNeXtImages
import Foundation

/// How an affine transform samples the source image.
public enum AffineSampling: Sendable, Equatable {
    /// Pillow's `NEAREST`: the source pixel containing the mapped point.
    case nearest
    /// Pillow's `BILINEAR` (`bilinear_filter32RGB`): edge-clamped neighbours, truncated.
    case bilinear
    /// Pillow's `BICUBIC` (`bicubic_filter32RGB`): 4x4 edge-clamped neighbours through the
    /// a = −1 cubic convolution, clamped to 0...255 and truncated; what timm's RandAugment uses
    /// in the recipe.
    case bicubic
}

extension RGBImage {
    /// `Image.transform(size, AFFINE, (a, b, c, d, e, f), resample, fillcolor: fill)`: output
    /// pixel (x, y) samples the source at `(a·x' + b·y' + c, d·x' + e·y' + f)` with
    /// `x' = x + 0.5`, `y' = y + 0.5`; points outside the source take `fill`.
    public func affineTransformed(_ m: (Double, Double, Double, Double, Double, Double),
                                  sampling: AffineSampling, fill: (UInt8, UInt8, UInt8)) -> RGBImage {
        var output = [UInt8](repeating: 0, count: pixels.count)
        let fillValues = [fill.0, fill.1, fill.2]
        for y in 0..<height {
            for x in 0..<width {
                let px = Double(x) + 0.5, py = Double(y) + 0.5
                let xin = m.0 * px + m.1 * py + m.2
                let yin = m.3 * px + m.4 * py + m.5
                let out = (y * width + x) * 3
                guard xin >= 0 && xin < Double(width) && yin >= 0 && yin < Double(height) else {
                    for c in 0..<3 { output[out + c] = fillValues[c] }
                    continue
                }
                switch sampling {
                case .nearest:
                    let source = (Int(yin) * width + Int(xin)) * 3
                    for c in 0..<3 { output[out + c] = pixels[source + c] }
                case .bilinear:
                    let sx = xin - 0.5, sy = yin - 0.5
                    let fx = sx.rounded(.down), fy = sy.rounded(.down)
                    let dx = sx - fx, dy = sy - fy
                    let x0 = min(max(Int(fx), 0), width - 1), x1 = min(max(Int(fx) + 1, 0), width - 1)
                    let y0 = min(max(Int(fy), 0), height - 1)
                    let y1 = Int(fy) + 1 < height ? Int(fy) + 1 : y0
                    for c in 0..<3 {
                        func at(_ column: Int, _ row: Int) -> Double { Double(pixels[(row * width + column) * 3 + c]) }
                        let top = at(x0, y0) + (at(x1, y0) - at(x0, y0)) * dx
                        let bottom = Int(fy) + 1 >= 0 && Int(fy) + 1 < height
                            ? at(x0, y1) + (at(x1, y1) - at(x0, y1)) * dx : top
                        output[out + c] = UInt8(min(max(top + (bottom - top) * dy, 0), 255))
                    }
                case .bicubic:
                    bicubicSample(xin - 0.5, yin - 0.5, into: &output, at: out)
                }
            }
        }
        return RGBImage(width: width, height: height, pixels: output)
    }

    /// Pillow's `bicubic_filter32RGB` at source position (`sx`, `sy`) (pixel centers at
    /// integers), all three bands, written at `output[at...]`.
    private func bicubicSample(_ sx: Double, _ sy: Double, into output: inout [UInt8], at offset: Int) {
        // Geometry.c's FLOOR truncates non-negative values and floors negative ones.
        let fx = sx < 0 ? Int(sx.rounded(.down)) : Int(sx), fy = sy < 0 ? Int(sy.rounded(.down)) : Int(sy)
        let dx = sx - Double(fx), dy = sy - Double(fy)
        let x = fx - 1, y = fy - 1
        let columns = (0..<4).map { min(max(x + $0, 0), width - 1) }
        func cubic(_ v1: Double, _ v2: Double, _ v3: Double, _ v4: Double, _ d: Double) -> Double {
            let p2 = -v1 + v3, p3 = 2 * (v1 - v2) + v3 - v4, p4 = -v1 + v2 - v3 + v4
            return v2 + d * (p2 + d * (p3 + d * p4))
        }
        for c in 0..<3 {
            func row(_ r: Int) -> Double {
                let base = r * width
                return cubic(Double(pixels[(base + columns[0]) * 3 + c]), Double(pixels[(base + columns[1]) * 3 + c]),
                             Double(pixels[(base + columns[2]) * 3 + c]), Double(pixels[(base + columns[3]) * 3 + c]), dx)
            }
            // The first row is clamped; later rows outside the image repeat the row before.
            let v1 = row(min(max(y, 0), height - 1))
            let v2 = (0..<height).contains(y + 1) ? row(y + 1) : v1
            let v3 = (0..<height).contains(y + 2) ? row(y + 2) : v2
            let v4 = (0..<height).contains(y + 3) ? row(y + 3) : v3
            let value = cubic(v1, v2, v3, v4, dy)
            output[offset + c] = value <= 0 ? 0 : value >= 255 ? 255 : UInt8(value)
        }
    }

    /// `Image.rotate(degrees, resample, fillcolor: fill)` about the center, without expanding:
    /// counter-clockwise for positive `degrees`. As in Pillow, 0 returns the image unchanged,
    /// and 180 (and 90 or 270 on a square image) are exact pixel permutations.
    public func rotated(degrees: Double, sampling: AffineSampling, fill: (UInt8, UInt8, UInt8)) -> RGBImage {
        var angle = degrees.truncatingRemainder(dividingBy: 360)
        if angle < 0 { angle += 360 }
        if angle == 0 { return self }
        if angle == 180 { return permuted { x, y in (width - 1 - x, height - 1 - y) } }
        if width == height && angle == 90 { return permuted { x, y in (width - 1 - y, x) } }
        if width == height && angle == 270 { return permuted { x, y in (y, width - 1 - x) } }
        let radians = -angle * Double.pi / 180
        func round15(_ v: Double) -> Double { (v * 1e15).rounded() / 1e15 }
        let a = round15(cos(radians)), b = round15(sin(radians))
        let d = round15(-sin(radians)), e = round15(cos(radians))
        let cx = Double(width) / 2, cy = Double(height) / 2
        let c = a * -cx + b * -cy + cx
        let f = d * -cx + e * -cy + cy
        return affineTransformed((a, b, c, d, e, f), sampling: sampling, fill: fill)
    }

    /// The image whose pixel (x, y) is this image's pixel `source(x, y)`.
    func permuted(_ source: (Int, Int) -> (Int, Int)) -> RGBImage {
        var output = [UInt8](repeating: 0, count: pixels.count)
        for y in 0..<height {
            for x in 0..<width {
                let (sx, sy) = source(x, y)
                let from = (sy * width + sx) * 3, to = (y * width + x) * 3
                output[to] = pixels[from]
                output[to + 1] = pixels[from + 1]
                output[to + 2] = pixels[from + 2]
            }
        }
        return RGBImage(width: width, height: height, pixels: output)
    }
}
