import ConvNeXtImages
import Foundation

/// torchvision's `adjust_hue` on PIL images: convert to Pillow's 8-bit HSV, add
/// `uint8(hueFactor · 255)` to the hue byte with wrap-around, convert back. The conversions
/// follow Pillow's `rgb2hsv_row` and `hsv2rgb` (Convert.c) operation by operation, mixing
/// single and double precision as the C code does, so the bytes match.
extension RGBImage {
    /// The image with its hue rotated by `hueFactor` turns, `-0.5...0.5`.
    public func hueAdjusted(by hueFactor: Double) -> RGBImage {
        precondition(abs(hueFactor) <= 0.5, "hue factor \(hueFactor) is not in -0.5...0.5")
        // numpy's float-to-uint8 cast truncates toward zero, then wraps modulo 256.
        let shift = UInt8(truncatingIfNeeded: Int(hueFactor * 255))
        var output = pixels
        for offset in stride(from: 0, to: output.count, by: 3) {
            let hsv = Self.pillowHSV(red: pixels[offset], green: pixels[offset + 1], blue: pixels[offset + 2])
            let rgb = Self.pillowRGB(hue: hsv.hue &+ shift, saturation: hsv.saturation, value: hsv.value)
            output[offset] = rgb.red
            output[offset + 1] = rgb.green
            output[offset + 2] = rgb.blue
        }
        return RGBImage(width: width, height: height, pixels: output)
    }

    /// Pillow's `rgb2hsv_row`.
    static func pillowHSV(red r: UInt8, green g: UInt8, blue b: UInt8) -> (hue: UInt8, saturation: UInt8, value: UInt8) {
        let maxc = max(r, g, b), minc = min(r, g, b)
        guard maxc != minc else { return (0, 0, maxc) }
        let cr = Float(maxc - minc)
        let s = cr / Float(maxc)
        let rc = Float(maxc - r) / cr, gc = Float(maxc - g) / cr, bc = Float(maxc - b) / cr
        var h: Float
        if r == maxc {
            h = bc - gc
        } else if g == maxc {
            h = Float(2.0 + Double(rc) - Double(bc))
        } else {
            h = Float(4.0 + Double(gc) - Double(rc))
        }
        h = Float(fmod(Double(h) / 6.0 + 1.0, 1.0))
        return (clip8(Int(Double(h) * 255.0)), clip8(Int(Double(s) * 255.0)), maxc)
    }

    /// Pillow's `hsv2rgb`.
    static func pillowRGB(hue h: UInt8, saturation s: UInt8, value v: UInt8) -> (red: UInt8, green: UInt8, blue: UInt8) {
        guard s != 0 else { return (v, v, v) }
        let sector = Int(floor(Double(Float(h)) * 6.0 / 255.0))
        let f = Float(Double(Float(h)) * 6.0 / 255.0 - Double(Float(sector)))
        let fs = Float(Double(Float(s)) / 255.0)
        let value = Double(Float(v))
        let p = clip8(Int((value * (1.0 - Double(fs))).rounded()))
        let q = clip8(Int((value * (1.0 - Double(fs * f))).rounded()))
        let t = clip8(Int((value * (1.0 - Double(fs) * (1.0 - Double(f)))).rounded()))
        switch sector % 6 {
        case 0: return (v, t, p)
        case 1: return (q, v, p)
        case 2: return (p, v, t)
        case 3: return (p, q, v)
        case 4: return (t, p, v)
        default: return (v, p, q)
        }
    }

    private static func clip8(_ value: Int) -> UInt8 { UInt8(min(max(value, 0), 255)) }
}
