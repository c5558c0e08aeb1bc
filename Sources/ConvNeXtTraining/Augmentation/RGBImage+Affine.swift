import ConvNeXtImages
import Foundation

/// How an affine transform samples the source image.
public enum AffineSampling: Sendable, Equatable {
    /// Pillow's `NEAREST`: the source pixel containing the mapped point.
    case nearest
    /// Pillow's `BILINEAR` (`bilinear_filter32RGB`): edge-clamped neighbours, truncated.
    case bilinear
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
                }
            }
        }
        return RGBImage(width: width, height: height, pixels: output)
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
